import { FAILURE_STATUSES, RUN_STATUSES, isFinished } from '../../shared/types.ts';
import type { SqliteDatabase } from './database.ts';

const list = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(', ');

/** The SQL form of isFailure (src/shared/types.ts): `status IN (...)`. */
export const FAILURE_SQL = list(FAILURE_STATUSES);

/** The SQL form of isFinished: a run that ended, neither running nor skipped. */
export const FINISHED_SQL = `status IN (${list(RUN_STATUSES.filter(isFinished))})`;

/**
 * The failure streak, the one definition every reader uses (sweep's `failing`, status, metrics, alerts):
 * the failed runs of @job started after its latest success, counting only runs started before @before and
 * never the run @exclude (alerts ask about the runs before a given one). `since`: when the first of them ended.
 */
const STREAK_SQL = `
  SELECT count(*) AS count, min(ended_at) AS since FROM runs
  WHERE job = @job AND status IN (${FAILURE_SQL}) AND started_at < @before AND id <> @exclude
    AND started_at > coalesce((SELECT max(started_at) FROM runs
      WHERE job = @job AND status = 'success' AND started_at < @before AND id <> @exclude), '')`;

/** Later than any stored time: no bound. */
const NO_BOUND = '9999';

/** A job's streak reader, its statement prepared on first use. */
export function streakReader(db: SqliteDatabase) {
  let statement: ReturnType<SqliteDatabase['prepare']> | undefined;
  return (job: string, before: { runId: string; startedAt: string } | null = null): { count: number; since: string | null } => {
    statement ??= db.prepare(STREAK_SQL);
    return statement.get({ job, before: before?.startedAt ?? NO_BOUND, exclude: before?.runId ?? '' }) as { count: number; since: string | null };
  };
}
