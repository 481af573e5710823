import { FAILURE_SQL } from '../status-sql.ts';
import type { SqliteDatabase } from './database.ts';


/**
 * The failure streak, the one definition every reader uses (sweep's `failing`, status, metrics, alerts):
 * the failed runs of @job started after its latest success, counting only runs started before @before and
 * never the run @exclude (alerts ask about the runs before a given one); with a host (status and metrics
 * --host), only that host's runs. `since`: when the first of them ended. The host is named only when one is
 * asked for: it is not in the covering index, and naming it at all (even as `@host IS NULL OR`) reads a table
 * row per run looked at.
 */
const streakRuns = (job: string, ofHost: boolean): string => {
  const host = ofHost ? ' AND host = @host' : '';
  return `runs WHERE job = ${job} AND status IN (${FAILURE_SQL}) AND started_at < @before AND id <> @exclude${host}
    AND started_at > coalesce((SELECT max(started_at) FROM runs
      WHERE job = ${job} AND status = 'success' AND started_at < @before AND id <> @exclude${host}), '')`;
};

/** One job's streak (@job). `since` reads a table row per failed run (ended_at is not in the covering index): only when asked. */
const streakSql = (ofHost: boolean, withSince: boolean): string =>
  `SELECT count(*) AS count, ${withSince ? 'min(ended_at)' : 'NULL'} AS since FROM ${streakRuns('@job', ofHost)}`;

/** The streaks of the jobs in the JSON list @jobs, one row each: [job, count, since]. */
const streaksSql = (ofHost: boolean, withSince: boolean): string => `SELECT j.value, (SELECT count(*) FROM ${streakRuns('j.value', ofHost)}),
  ${withSince ? `(SELECT min(ended_at) FROM ${streakRuns('j.value', ofHost)})` : 'NULL'} FROM json_each(@jobs) AS j`;

/** Later than any stored time: no bound. */
const NO_BOUND = '9999';

/**
 * The streaks of several jobs (text names) by the same definition, in one statement: status reads those of
 * a thousand jobs, where a statement call per failing job cost more than its reading.
 */
export function streaksOf(db: SqliteDatabase, jobs: readonly string[], withSince: boolean, host: string | null): Map<string, { count: number; since: string | null }> {
  const streaks = new Map<string, { count: number; since: string | null }>();
  if (jobs.length === 0) return streaks;
  const bounds = { jobs: JSON.stringify(jobs), before: NO_BOUND, exclude: '' };
  const rows = db.prepare(streaksSql(host !== null, withSince)).raw().all(host === null ? bounds : { ...bounds, host }) as Array<[string, number, string | null]>;
  for (const row of rows) streaks.set(row[0], { count: row[1], since: row[2] });
  return streaks;
}

/**
 * A job's streak reader, its statements (every host's or one host's, with `since` or without) prepared on
 * first use. Without `withSince`, `since` is null: a count alone is read from the covering index.
 */
export function streakReader(db: SqliteDatabase, withSince = true) {
  const statements: Array<ReturnType<SqliteDatabase['prepare']> | undefined> = [];
  return (job: string, before: { runId: string; startedAt: string } | null = null, host: string | null = null): { count: number; since: string | null } => {
    const ofHost = host === null ? 0 : 1;
    const statement = (statements[ofHost] ??= db.prepare(streakSql(ofHost === 1, withSince)));
    const bounds = { job, before: before?.startedAt ?? NO_BOUND, exclude: before?.runId ?? '' };
    return statement.get(host === null ? bounds : { ...bounds, host }) as { count: number; since: string | null };
  };
}
