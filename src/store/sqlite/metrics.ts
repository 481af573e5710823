import type { JobMetrics, MetricsReader } from '../store.ts';
import type { RunStatus } from '../../shared/types.ts';
import type { SqliteDatabase } from './database.ts';
import { textOf } from '../../shared/neutralise.ts';
import { streakReader } from './streak.ts';
import { FAILURE_SQL } from '../status-sql.ts';

/** The figures of every job known from its runs or from the jobs table, in one pass per question. */
const JOBS_SQL = `
  WITH names AS (SELECT name AS job FROM jobs WHERE @host IS NULL UNION SELECT DISTINCT job FROM runs WHERE (@host IS NULL OR host = @host)),
  totals AS (
    SELECT job, count(*) AS runs, sum(status IN (${FAILURE_SQL})) AS failures, max(started_at) AS last_start,
      max(CASE WHEN status = 'success' THEN ended_at END) AS last_success
    FROM runs WHERE (@host IS NULL OR host = @host) GROUP BY job)
  SELECT n.job, coalesce(t.runs, 0) AS runs, coalesce(t.failures, 0) AS failures, t.last_start, t.last_success,
    (SELECT status FROM runs r WHERE r.job = n.job AND (@host IS NULL OR host = @host) ORDER BY started_at DESC, id DESC LIMIT 1) AS last_status,
    (SELECT duration_ms FROM runs r WHERE r.job = n.job AND (@host IS NULL OR host = @host) AND ended_at IS NOT NULL
      ORDER BY started_at DESC, id DESC LIMIT 1) AS last_duration
  FROM names n LEFT JOIN totals t ON t.job = n.job ORDER BY n.job`;

interface JobRow {
  job: unknown; runs: number; failures: number; last_start: string | null; last_success: string | null;
  last_status: string | null; last_duration: number | null;
}

/** The read side of `cronguard metrics`. */
export function sqliteMetricsReader(db: SqliteDatabase): MetricsReader {
  const streak = streakReader(db, false);
  return {
    async jobs(host) {
      return (db.prepare(JOBS_SQL).all({ host: host ?? null }) as JobRow[]).map((r): JobMetrics => ({
        job: textOf(r.job), runs: r.runs, failures: r.failures, lastStartedAt: r.last_start, lastSuccessAt: r.last_success,
        lastStatus: r.last_status as RunStatus | null, lastDurationMs: r.last_duration, failureStreak: streak(r.job as string, null, host ?? null).count,
      }));
    },
    async problems() {
      // A resolved problem stays in sweep's table only until its resolution is printed.
      return db.prepare('SELECT job, kind FROM problems WHERE resolved_at IS NULL ORDER BY job, kind').all() as Array<{ job: string; kind: string }>;
    },
    async outbox() {
      return db.prepare(`SELECT coalesce(sum(delivered_at IS NULL AND dead_at IS NULL), 0) AS queued,
        coalesce(sum(dead_at IS NOT NULL), 0) AS dead FROM outbox`).get() as { queued: number; dead: number };
    },
  };
}
