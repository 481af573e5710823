import type { ForgetCount } from '../store.ts';
import type { SqliteDatabase } from './database.ts';

/** How many runs one delete transaction takes: small enough that a job's write never waits long. */
const BATCH = 2000;

/** `cronguard forget` in SQLite: counts, then deletes the job's runs in batches and the rest in one transaction. */
export function sqliteForget(db: SqliteDatabase): (job: string, dryRun: boolean) => Promise<ForgetCount> {
  const count = db.transaction((job: string): ForgetCount => {
    const one = <T>(sql: string): T => db.prepare(sql).get({ job }) as T;
    const runs = one<{ runs: number; attempts: number; outputBytes: number }>(`SELECT count(DISTINCT r.id) AS runs, count(a.run_id) AS attempts,
      coalesce(sum(length(a.output)), 0) AS outputBytes FROM runs r LEFT JOIN attempts a ON a.run_id = r.id WHERE r.job = @job`);
    return {
      ...runs,
      problems: one<{ n: number }>('SELECT count(*) AS n FROM problems WHERE job = @job').n,
      crontab: one<{ n: number }>('SELECT count(*) AS n FROM crontab_jobs WHERE name = @job').n > 0,
      recorded: one<{ n: number }>('SELECT count(*) AS n FROM jobs WHERE name = @job').n > 0,
      running: one<{ id: string } | undefined>("SELECT id FROM runs WHERE job = @job AND status = 'running' LIMIT 1")?.id ?? null,
    };
  });
  const deleteRuns = db.transaction((job: string): number => {
    const ids = JSON.stringify(db.prepare("SELECT id FROM runs WHERE job = ? AND status <> 'running' LIMIT ?").pluck().all(job, BATCH));
    db.prepare('DELETE FROM attempts WHERE run_id IN (SELECT value FROM json_each(?))').run(ids);
    return db.prepare("DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?)) AND status <> 'running'").run(ids).changes;
  });
  /** Deletes the rest, unless a run began meanwhile; returns the id of a run still there. */
  const deleteRest = db.transaction((job: string): string | null => {
    const left = db.prepare('SELECT id FROM runs WHERE job = ? LIMIT 1').pluck().get(job) as string | undefined;
    if (left !== undefined) return left;
    db.prepare('DELETE FROM problems WHERE job = ?').run(job);
    db.prepare('DELETE FROM crontab_jobs WHERE name = ?').run(job);
    db.prepare('DELETE FROM jobs WHERE name = ?').run(job);
    return null;
  });
  return async (job, dryRun) => {
    const counted = count.immediate(job);
    if (dryRun || counted.running !== null) return counted;
    // A run that begins while its job is forgotten is deleted with it, unless it is still running.
    for (let tries = 0; tries < 3; tries++) {
      while (deleteRuns.immediate(job) === BATCH) { /* the next batch */ }
      if (deleteRest.immediate(job) === null) return counted;
    }
    return { ...counted, running: count.immediate(job).running };
  };
}
