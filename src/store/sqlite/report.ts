import { BUCKETS_PER_E } from '../../shared/duration-buckets.ts';
import { SEVERITY } from '../../shared/outcome.ts';
import type { RunStatus } from '../../shared/types.ts';
import type { FailureTail, PeriodBucket, PeriodFigures, Periods, ReportReader, RunDot } from '../store.ts';
import { FAILURE_SQL } from './alerts.ts';
import type { SqliteDatabase } from './database.ts';
import { WITH_JOB_NAMES } from './job-names.ts';

/** A status's rank in SEVERITY, in SQL: max() of it is a group's worst outcome. */
const SEVERITY_SQL = `CASE status ${SEVERITY.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} ELSE ${SEVERITY.length - 1} END`;

/** The job names (every job's, or the one asked for) and the periods, as common table expressions. */
function withPeriods(job: string | undefined): string {
  const names = job === undefined ? WITH_JOB_NAMES : 'WITH RECURSIVE job_names(name) AS (SELECT @job)';
  return `${names}, periods(i, lo, hi) AS (SELECT key, value ->> 0, value ->> 1 FROM json_each(@periods))`;
}

/**
 * The runs of those jobs in those periods, as a join: job names outermost, then the periods, then one
 * range of the covering runs_by_job index per pair, so no run outside the periods is read and no table row
 * is touched. CROSS JOIN fixes that order (SQLite's own choice scans far more). Add `WHERE ${NAMED}`.
 */
const RUNS_IN_PERIODS = `job_names CROSS JOIN periods CROSS JOIN runs
  ON runs.job = job_names.name AND runs.started_at >= periods.lo AND runs.started_at < periods.hi`;
const NAMED = 'job_names.name IS NOT NULL';

/** The bound parameters of runsInPeriods. */
function periodParams(periods: Periods, job: string | undefined): Record<string, string> {
  const params: Record<string, string> = { periods: JSON.stringify(periods.map((p) => [p.from, p.to])) };
  if (job !== undefined) params['job'] = job;
  return params;
}

/** Aggregates for the status strips, the stats histogram and the HTML report, in SQLite. */
export function sqliteReportReader(db: SqliteDatabase): ReportReader {
  return {
    async lastRuns(jobs, limit) {
      // One statement for every job (a statement per job costs more in calls than in reading): for each, a
      // backward walk of its index range, status and duration read from the index itself, newest first.
      const rows = db.prepare(`SELECT value, (SELECT json_group_array(json_array(status, duration_ms)) FROM
          (SELECT status, duration_ms FROM runs WHERE job = value ORDER BY started_at DESC LIMIT @limit))
        FROM json_each(@jobs)`).raw().all({ jobs: JSON.stringify(jobs), limit }) as Array<[string, string]>;
      return new Map(rows.map(([job, list]) => [job, (JSON.parse(list) as Array<[RunStatus, number | null]>)
        .reverse().map(([status, durationMs]) => ({ status, durationMs }))]));
    },
    async periods(periods, job) {
      const rows = db.prepare(`${withPeriods(job)}
        SELECT job_names.name, periods.i, count(*), max(${SEVERITY_SQL}),
          sum(status IN ('failed', 'error', 'lost')), sum(status = 'timeout'), sum(status = 'killed')
        FROM ${RUNS_IN_PERIODS} WHERE ${NAMED} GROUP BY job_names.name, periods.i`)
        .raw().all(periodParams(periods, job)) as Array<[string, number, number, number, number, number, number]>;
      return rows.map(([name, period, runs, worst, failures, timeouts, killed]): PeriodFigures => ({
        job: name, period, runs, worst: SEVERITY[worst] as RunStatus, failures, timeouts, killed,
      }));
    },
    async durationBuckets(periods, job) {
      const rows = db.prepare(`${withPeriods(job)}
        SELECT job_names.name, periods.i, CAST(ln(duration_ms + 1) * ${BUCKETS_PER_E} AS INTEGER) AS bucket, count(*), max(duration_ms)
        FROM ${RUNS_IN_PERIODS} WHERE ${NAMED} AND status NOT IN ('running', 'skipped') AND duration_ms >= 0
        GROUP BY job_names.name, periods.i, bucket`)
        .raw().all(periodParams(periods, job)) as Array<[string, number, number, number, number]>;
      return rows.map(([name, period, b, runs, maxMs]): PeriodBucket => ({ job: name, period, bucket: b, runs, maxMs }));
    },
    async recentFailures(since, perJob, tailBytes) {
      const names = db.prepare(`${WITH_JOB_NAMES} SELECT name FROM job_names WHERE name IS NOT NULL`).pluck().all() as string[];
      const failed = db.prepare(`SELECT id, job, status, exit_code, signal, started_at, duration_ms, host, reason FROM runs
        WHERE job = ? AND started_at >= ? AND status IN (${FAILURE_SQL}) ORDER BY started_at DESC LIMIT ?`);
      const tail = db.prepare('SELECT output_bytes, substr(output, -?) AS tail FROM attempts WHERE run_id = ? ORDER BY n DESC LIMIT 1');
      const result: FailureTail[] = [];
      for (const name of names) {
        for (const r of failed.all(name, since, perJob) as Array<Record<string, unknown>>) {
          const last = tail.get(tailBytes, r['id']) as { output_bytes: number; tail: Buffer | string | null } | undefined;
          result.push({
            id: r['id'] as string, job: r['job'] as string, status: r['status'] as RunStatus, exitCode: r['exit_code'] as number | null,
            signal: r['signal'] as string | null, startedAt: r['started_at'] as string, durationMs: r['duration_ms'] as number | null,
            host: r['host'] as string, reason: r['reason'] as string | null,
            tail: typeof last?.tail === 'string' ? Buffer.from(last.tail) : (last?.tail ?? new Uint8Array()),
            outputBytes: last?.output_bytes ?? 0,
          });
        }
      }
      return result;
    },
    async hosts(periods) {
      const latest = db.prepare(`${WITH_JOB_NAMES}
        SELECT name AS job, (SELECT host FROM runs WHERE job = name ORDER BY started_at DESC LIMIT 1) AS host
        FROM job_names WHERE name IS NOT NULL`).all() as Array<{ job: string; host: string }>;
      // Only failed runs are looked up in the table (for their host): the index narrows to them first.
      const failures = db.prepare(`${withPeriods(undefined)},
        failed AS (SELECT runs.id AS id, periods.i AS period FROM ${RUNS_IN_PERIODS} WHERE ${NAMED} AND status IN (${FAILURE_SQL}))
        SELECT r.host, failed.period, count(*) AS failures FROM failed JOIN runs r ON r.id = failed.id GROUP BY r.host, failed.period`)
        .all(periodParams(periods, undefined)) as Array<{ host: string; period: number; failures: number }>;
      return { latest, failures };
    },
  };
}
