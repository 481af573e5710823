import type { ForgetCount } from '../store.ts';
import type { PgClient } from './client.ts';

/** How many runs one delete statement takes: small enough that a job's write never waits long. */
const BATCH = 2000;

/** `cronguard forget` in PostgreSQL (same rules as sqlite/forget.ts): count, delete runs in batches, then the rest. */
export function pgForget(db: PgClient): (job: string, dryRun: boolean) => Promise<ForgetCount> {
  const counted = (job: string) => db.call(async (sql): Promise<ForgetCount> => {
    const [row] = await sql<Array<ForgetCount & { crontab_n: number; recorded_n: number }>>`SELECT
      (SELECT count(*) FROM runs WHERE job = ${job}) AS runs,
      (SELECT count(*) FROM attempts a JOIN runs r ON r.id = a.run_id WHERE r.job = ${job}) AS attempts,
      (SELECT coalesce(sum(octet_length(a.output)), 0)::bigint FROM attempts a JOIN runs r ON r.id = a.run_id WHERE r.job = ${job}) AS "outputBytes",
      (SELECT count(*) FROM problems WHERE job = ${job}) AS problems,
      (SELECT count(*) FROM crontab_jobs WHERE name = ${job}) AS crontab_n,
      (SELECT count(*) FROM jobs WHERE name = ${job}) AS recorded_n,
      (SELECT id FROM runs WHERE job = ${job} AND status = 'running' LIMIT 1) AS running`;
    const r = row as ForgetCount & { crontab_n: number; recorded_n: number };
    return { runs: r.runs, attempts: r.attempts, outputBytes: r.outputBytes, problems: r.problems, crontab: r.crontab_n > 0, recorded: r.recorded_n > 0, running: r.running };
  });
  return async (job, dryRun) => {
    const before = await counted(job);
    if (dryRun || before.running !== null) return before;
    // A run that begins while its job is forgotten is deleted with it, unless it is still running.
    for (let tries = 0; tries < 3; tries++) {
      for (;;) {
        const gone = await db.call(async (sql) => (await sql`DELETE FROM runs WHERE id IN
          (SELECT id FROM runs WHERE job = ${job} AND status <> 'running' LIMIT ${BATCH})`).count);
        if (gone < BATCH) break;
      }
      const left = await db.call((sql) => sql.begin(async (tx) => {
        const [run] = await tx`SELECT id FROM runs WHERE job = ${job} LIMIT 1`;
        if (run) return run['id'] as string;
        await tx`DELETE FROM problems WHERE job = ${job}`;
        await tx`DELETE FROM crontab_jobs WHERE name = ${job}`;
        await tx`DELETE FROM jobs WHERE name = ${job}`;
        await tx`DELETE FROM once_claims WHERE job = ${job}`;
        return null;
      }));
      if (left === null) return before;
    }
    return { ...before, running: (await counted(job)).running };
  };
}
