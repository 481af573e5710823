import { FAILURE_SQL } from '../status-sql.ts';
import type { Sql, Tx } from './client.ts';

/** Later than any stored time: no bound. */
const NO_BOUND = '9999';

/**
 * The failure streak in PostgreSQL, the one definition its readers share (sweep's `failing`, status, alerts),
 * as sqlite/streak.ts: the failed runs of `job` started after its latest success, counting only runs started
 * before `before` and never the run `before` names (alerts ask about the runs before a given one); with
 * `host`, only that host's runs. `since`: when the first of them ended.
 */
export async function streakOf(
  sql: Sql | Tx, job: string, before: { runId: string; startedAt: string } | null = null, host: string | null = null,
): Promise<{ count: number; since: string | null }> {
  const bound = before?.startedAt ?? NO_BOUND;
  const exclude = before?.runId ?? '';
  const ofHost = host === null ? sql`` : sql`AND host = ${host}`;
  const [row] = await sql<Array<{ count: number; since: string | null }>>`
    SELECT count(*) AS count, min(ended_at) AS since FROM runs
    WHERE job = ${job} ${ofHost} AND status IN (${sql.unsafe(FAILURE_SQL)}) AND started_at < ${bound} AND id <> ${exclude}
      AND started_at > coalesce((SELECT max(started_at) FROM runs
        WHERE job = ${job} ${ofHost} AND status = 'success' AND started_at < ${bound} AND id <> ${exclude}), '')`;
  return row ?? { count: 0, since: null };
}
