import { FAILURE_SQL } from '../status-sql.ts';
import type { SqliteDatabase } from './database.ts';


/**
 * The failure streak, the one definition every reader uses (sweep's `failing`, status, metrics, alerts):
 * the failed runs of @job started after its latest success, counting only runs started before @before and
 * never the run @exclude (alerts ask about the runs before a given one); with @host, only that host's runs
 * (status and metrics --host). `since`: when the first of them ended.
 */
const STREAK_SQL = `
  SELECT count(*) AS count, min(ended_at) AS since FROM runs
  WHERE job = @job AND status IN (${FAILURE_SQL}) AND started_at < @before AND id <> @exclude AND (@host IS NULL OR host = @host)
    AND started_at > coalesce((SELECT max(started_at) FROM runs
      WHERE job = @job AND status = 'success' AND started_at < @before AND id <> @exclude AND (@host IS NULL OR host = @host)), '')`;

/** Later than any stored time: no bound. */
const NO_BOUND = '9999';

/** A job's streak reader, its statement prepared on first use. */
export function streakReader(db: SqliteDatabase) {
  let statement: ReturnType<SqliteDatabase['prepare']> | undefined;
  return (job: string, before: { runId: string; startedAt: string } | null = null, host: string | null = null): { count: number; since: string | null } => {
    statement ??= db.prepare(STREAK_SQL);
    return statement.get({ job, before: before?.startedAt ?? NO_BOUND, exclude: before?.runId ?? '', host }) as { count: number; since: string | null };
  };
}
