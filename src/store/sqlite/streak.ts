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
const streakSql = (ofHost: boolean, withSince: boolean): string => {
  const host = ofHost ? ' AND host = @host' : '';
  // `since` reads a table row per failed run (ended_at is not in the covering index): only when asked.
  return `
  SELECT count(*) AS count, ${withSince ? 'min(ended_at)' : 'NULL'} AS since FROM runs
  WHERE job = @job AND status IN (${FAILURE_SQL}) AND started_at < @before AND id <> @exclude${host}
    AND started_at > coalesce((SELECT max(started_at) FROM runs
      WHERE job = @job AND status = 'success' AND started_at < @before AND id <> @exclude${host}), '')`;
};

/** Later than any stored time: no bound. */
const NO_BOUND = '9999';

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
