import { existsSync, statSync } from 'node:fs';
import type { PruneCount, RunPruner } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { sqliteForget } from './forget.ts';
import { ALL_JOBS, WITH_JOB_NAMES } from './job-names.ts';
import { settleRunDays } from './run-days.ts';

/** How many runs one delete transaction takes: small enough that a job's write never waits long. */
const BATCH = 2000;

/**
 * Finished runs that ended before @cutoff. A run starts before it ends, so `started_at < @cutoff`
 * lets each job's index range bound the search; a run sweep marked lost may have no end: its last
 * heartbeat stands for it.
 */
const FINISHED_BEFORE = `${ALL_JOBS} AND started_at < @cutoff AND status <> 'running'
  AND coalesce(ended_at, heartbeat_at) < @cutoff`;

/** Deleting old runs from SQLite. */
export function sqliteRunPruner(db: SqliteDatabase, path: string): RunPruner {
  const attemptsOf = db.prepare(`SELECT count(*) AS attempts, coalesce(sum(length(output)), 0) AS outputBytes
    FROM attempts WHERE run_id IN (SELECT value FROM json_each(?))`);

  /** The ids of up to `limit` prunable runs. */
  const doomed = (cutoff: string, limit: number): string[] =>
    db.prepare(`${WITH_JOB_NAMES} SELECT id FROM runs WHERE ${FINISHED_BEFORE} LIMIT @limit`).pluck().all({ cutoff, limit }) as string[];

  const deleteBatch = db.transaction((cutoff: string): PruneCount => {
    const ids = JSON.stringify(doomed(cutoff, BATCH));
    const counted = attemptsOf.get(ids) as { attempts: number; outputBytes: number };
    db.prepare(`DELETE FROM attempts WHERE run_id IN (SELECT value FROM json_each(?))`).run(ids);
    const runs = db.prepare(`DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?)) AND status <> 'running'`).run(ids).changes;
    return { runs, ...counted };
  });

  return {
    async count(cutoff) {
      const ids = JSON.stringify(doomed(cutoff, -1));
      const counted = attemptsOf.get(ids) as { attempts: number; outputBytes: number };
      return { runs: (JSON.parse(ids) as string[]).length, ...counted };
    },
    async remove(cutoff) {
      const total: PruneCount = { runs: 0, attempts: 0, outputBytes: 0 };
      for (;;) {
        const batch = deleteBatch.immediate(cutoff);
        total.runs += batch.runs;
        total.attempts += batch.attempts;
        total.outputBytes += batch.outputBytes;
        if (batch.runs < BATCH) break;
      }
      // --once claims of starts that old decide nothing any more.
      db.prepare('DELETE FROM once_claims WHERE scheduled_at < ?').run(cutoff);
      // The days it emptied, while the summaries are at hand: stats would otherwise recompute them until the next sweep.
      settleRunDays(db);
      return total;
    },
    async vacuum() {
      db.exec('VACUUM');
      // In WAL mode the rebuilt pages sit in the log until a checkpoint: truncate it so the file shrinks now.
      db.pragma('wal_checkpoint(TRUNCATE)');
    },
    // The file and its write-ahead log: what the history takes on disk.
    async sizeBytes() {
      const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
      return size(path) + size(`${path}-wal`);
    },
    forget: sqliteForget(db),
  };
}
