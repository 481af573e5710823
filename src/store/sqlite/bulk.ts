import type { JobSchedule, RunRecord } from '../../shared/types.ts';
import { openDatabase } from './database.ts';
import { markRunDaysPending } from './run-days.ts';
import { type AttemptRow, attemptParams, type RunRow, runParams } from './rows.ts';
import { RUN_LATEST_FILL, RUN_LATEST_FILL_RECENT } from './run-latest.ts';
import { ATTEMPT_COLUMNS, RUN_COLUMNS } from './runs.ts';

/** A job as a bulk load declares it. */
export interface BulkJob {
  name: string;
  schedule: JobSchedule | null;
  firstSeenAt: string;
}

/**
 * Loads many finished runs into a database in one transaction with prepared statements (benchmarks,
 * imports). It takes the file for itself while it works: no journal, no fsync, a large page cache,
 * which is why it must never run beside live jobs. The file is left in WAL mode as cronguard keeps it.
 */
export function bulkInsert(path: string, jobs: Iterable<BulkJob>, runs: Iterable<RunRecord>): { runs: number; attempts: number } {
  const db = openDatabase(path, false);
  try {
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.pragma('cache_size = -1048576');
    const insertJob = db.prepare(`INSERT OR REPLACE INTO jobs (name, schedule, tz, grace_ms, first_seen_at, updated_at)
      VALUES (@name, @schedule, @tz, @grace_ms, @at, @at)`);
    const insertRun = db.prepare(`INSERT INTO runs (${RUN_COLUMNS}) VALUES (${placeholders(RUN_COLUMNS)})`);
    const insertAttempt = db.prepare(`INSERT INTO attempts (${ATTEMPT_COLUMNS}) VALUES (${placeholders(ATTEMPT_COLUMNS)})`);
    const runColumns = columnNames(RUN_COLUMNS) as Array<keyof RunRow>;
    const attemptColumns = columnNames(ATTEMPT_COLUMNS) as Array<keyof AttemptRow>;
    const counts = { runs: 0, attempts: 0 };
    // Secondary indexes are dropped and rebuilt at the end: building one from sorted keys is several
    // times faster than growing it a row at a time. So are the triggers on runs (run_latest's recompute
    // per run, the day summaries' marks): run_latest is filled once at the end, and the summaries are
    // marked to be rebuilt by the next settle (run-days.ts), one pass where the triggers would note each run.
    const dropped = db.prepare(`SELECT type, name, sql FROM sqlite_schema
      WHERE type IN ('index', 'trigger') AND sql IS NOT NULL AND tbl_name IN ('runs', 'attempts')`).all() as Array<{ type: string; name: string; sql: string }>;
    db.transaction(() => {
      for (const item of dropped) db.exec(`DROP ${item.type === 'index' ? 'INDEX' : 'TRIGGER'} "${item.name}"`);
      markRunDaysPending(db);
      for (const job of jobs) {
        insertJob.run({
          name: job.name, schedule: job.schedule?.schedule ?? null, tz: job.schedule?.tz ?? null,
          grace_ms: job.schedule?.graceMs ?? null, at: job.firstSeenAt,
        });
      }
      for (const run of runs) {
        // Positional parameters: binding a million rows by name costs seconds.
        const row = runParams(run);
        insertRun.run(runColumns.map((c) => row[c]));
        for (const attempt of run.attempts) {
          const a = attemptParams(run.id, attempt);
          insertAttempt.run(attemptColumns.map((c) => a[c]));
        }
        counts.runs++;
        counts.attempts += run.attempts.length;
      }
      for (const item of dropped) db.exec(item.sql);
      db.exec(RUN_LATEST_FILL);
      db.exec(RUN_LATEST_FILL_RECENT);
    })();
    db.pragma('journal_mode = WAL');
    return counts;
  } finally {
    db.close();
  }
}

/** The names in a comma-separated column list. */
function columnNames(list: string): string[] {
  return list.split(',').map((c) => c.trim());
}

/** As many `?` as the list has columns. */
function placeholders(list: string): string {
  return columnNames(list).map(() => '?').join(', ');
}
