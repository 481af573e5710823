import type { JobMetrics, MetricsReader } from '../store.ts';
import type { RunStatus } from '../../shared/types.ts';
import { FAILURE_SQL } from '../status-sql.ts';
import type { PgClient } from './client.ts';

/** The figures of every job known from its runs or from the jobs table (same rules as sqlite/metrics.ts). */
const JOBS_SQL = `
  WITH names AS (SELECT name AS job FROM jobs WHERE $1::text IS NULL UNION SELECT DISTINCT job FROM runs WHERE ($1::text IS NULL OR host = $1::text)),
  totals AS (
    SELECT job, count(*) AS runs, count(*) FILTER (WHERE status IN (${FAILURE_SQL})) AS failures, max(started_at) AS last_start,
      max(ended_at) FILTER (WHERE status = 'success') AS last_success,
      max(started_at) FILTER (WHERE status = 'success') AS last_success_start
    FROM runs WHERE ($1::text IS NULL OR host = $1::text) GROUP BY job)
  SELECT n.job, coalesce(t.runs, 0) AS runs, coalesce(t.failures, 0) AS failures, t.last_start, t.last_success,
    (SELECT status FROM runs r WHERE r.job = n.job AND ($1::text IS NULL OR host = $1::text) ORDER BY started_at DESC, id DESC LIMIT 1) AS last_status,
    (SELECT duration_ms FROM runs r WHERE r.job = n.job AND ($1::text IS NULL OR host = $1::text) AND ended_at IS NOT NULL
      ORDER BY started_at DESC, id DESC LIMIT 1) AS last_duration,
    (SELECT count(*) FROM runs r WHERE r.job = n.job AND ($1::text IS NULL OR host = $1::text) AND status IN (${FAILURE_SQL})
      AND started_at > coalesce(t.last_success_start, '')) AS streak
  FROM names n LEFT JOIN totals t ON t.job = n.job ORDER BY n.job`;

interface JobRow {
  job: string; runs: number; failures: number; last_start: string | null; last_success: string | null;
  last_status: string | null; last_duration: number | null; streak: number;
}

/** The read side of `cronguard metrics` in PostgreSQL. */
export function pgMetricsReader(db: PgClient): MetricsReader {
  return {
    jobs: (host) => db.call(async (sql) => (await sql.unsafe<JobRow[]>(JOBS_SQL, [host ?? null])).map((r): JobMetrics => ({
      job: r.job, runs: r.runs, failures: r.failures, lastStartedAt: r.last_start, lastSuccessAt: r.last_success,
      lastStatus: r.last_status as RunStatus | null, lastDurationMs: r.last_duration, failureStreak: r.streak,
    }))),
    problems: () => db.call(async (sql) => [...await sql<Array<{ job: string; kind: string }>>`SELECT job, kind FROM problems WHERE resolved_at IS NULL ORDER BY job, kind`]),
    outbox: () => db.call(async (sql) => {
      const [row] = await sql<Array<{ queued: number; dead: number }>>`SELECT
        count(*) FILTER (WHERE delivered_at IS NULL AND dead_at IS NULL) AS queued, count(*) FILTER (WHERE dead_at IS NOT NULL) AS dead FROM outbox`;
      return row ?? { queued: 0, dead: 0 };
    }),
  };
}
