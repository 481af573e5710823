import { BUCKETS_PER_E } from '../../shared/duration-buckets.ts';
import { SEVERITY } from '../../shared/outcome.ts';
import type { RunStatus } from '../../shared/types.ts';
import type { FailureTail, PeriodBucket, PeriodFigures, Periods, ReportReader, RunDot } from '../store.ts';
import { FAILURE_SQL, FINISHED_SQL } from './streak.ts';
import type { SqliteDatabase } from './database.ts';
import { WITH_JOB_NAMES } from './job-names.ts';

/** A status's rank in SEVERITY, in SQL: max() of it is a group's worst outcome. */
const SEVERITY_SQL = `CASE status ${SEVERITY.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} ELSE ${SEVERITY.length - 1} END`;

/** The periods as a common table expression, from their JSON. */
const WITH_PERIODS = 'WITH periods(i, lo, hi) AS (SELECT key, value ->> 0, value ->> 1 FROM json_each(@periods))';

/**
 * One job's runs in the periods, as a join: the periods outer, then one range of the covering runs_by_job
 * index each, so no run outside them is read and no table row is touched (CROSS JOIN keeps that order).
 * Asked job by job: each grouping then sorts a few thousand rows by small integers, where one statement
 * over every job would sort them all by name (measured three times slower on a million runs).
 */
const RUNS_IN_PERIODS = `periods CROSS JOIN runs ON runs.job = @job AND runs.started_at >= periods.lo AND runs.started_at < periods.hi`;

/** The periods as the JSON parameter of WITH_PERIODS. */
const periodsJson = (periods: Periods): string => JSON.stringify(periods.map((p) => [p.from, p.to]));

/** Aggregates for the status strips, the stats histogram and the HTML report, in SQLite. */
export function sqliteReportReader(db: SqliteDatabase): ReportReader {
  /** The job asked for, or every job with runs (one index seek each). */
  const jobsOf = (job: string | undefined): string[] => job !== undefined ? [job]
    : db.prepare(`${WITH_JOB_NAMES} SELECT name FROM job_names WHERE name IS NOT NULL`).pluck().all() as string[];
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
      const statement = db.prepare(`${WITH_PERIODS}
        SELECT periods.i, count(*), max(${SEVERITY_SQL}),
          sum(status IN ('failed', 'error', 'lost')), sum(status = 'timeout'), sum(status = 'killed')
        FROM ${RUNS_IN_PERIODS} GROUP BY periods.i`).raw();
      const json = periodsJson(periods);
      return jobsOf(job).flatMap((name) => (statement.all({ periods: json, job: name }) as Array<[number, number, number, number, number, number]>)
        .map(([period, runs, worst, failures, timeouts, killed]): PeriodFigures => ({
          job: name, period, runs, worst: SEVERITY[worst] as RunStatus, failures, timeouts, killed,
        })));
    },
    async durationBuckets(periods, job) {
      const statement = db.prepare(`${WITH_PERIODS}
        SELECT periods.i, CAST(ln(duration_ms + 1) * ${BUCKETS_PER_E} AS INTEGER) AS bucket, count(*), max(duration_ms)
        FROM ${RUNS_IN_PERIODS} WHERE ${FINISHED_SQL} AND duration_ms >= 0
        GROUP BY periods.i, bucket`).raw();
      const json = periodsJson(periods);
      return jobsOf(job).flatMap((name) => (statement.all({ periods: json, job: name }) as Array<[number, number, number, number]>)
        .map(([period, bucket, runs, maxMs]): PeriodBucket => ({ job: name, period, bucket, runs, maxMs })));
    },
    async recentFailures(since, perJob, tailBytes) {
      const names = jobsOf(undefined);
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
    async openProblems() {
      return db.prepare('SELECT job, kind, since, message FROM problems ORDER BY job, kind').all() as Array<{ job: string; kind: string; since: string; message: string }>;
    },
    async hosts(periods) {
      const latest = db.prepare(`${WITH_JOB_NAMES}
        SELECT name AS job, (SELECT host FROM runs WHERE job = name ORDER BY started_at DESC LIMIT 1) AS host
        FROM job_names WHERE name IS NOT NULL`).all() as Array<{ job: string; host: string }>;
      // Only failed runs are looked up in the table (for their host): the index narrows to them first.
      const statement = db.prepare(`${WITH_PERIODS},
        failed AS (SELECT runs.id AS id, periods.i AS period FROM ${RUNS_IN_PERIODS} WHERE status IN (${FAILURE_SQL}))
        SELECT r.host, failed.period, count(*) AS failures FROM failed JOIN runs r ON r.id = failed.id GROUP BY r.host, failed.period`);
      const json = periodsJson(periods);
      const counts = new Map<string, { host: string; period: number; failures: number }>();
      for (const name of jobsOf(undefined)) {
        for (const row of statement.all({ periods: json, job: name }) as Array<{ host: string; period: number; failures: number }>) {
          const key = `${row.period} ${row.host}`;
          const seen = counts.get(key);
          if (seen) seen.failures += row.failures;
          else counts.set(key, { ...row });
        }
      }
      const failures = [...counts.values()];
      return { latest, failures };
    },
  };
}
