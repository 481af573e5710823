import { BUCKETS_PER_E } from '../../shared/duration-buckets.ts';
import { SEVERITY } from '../../shared/outcome.ts';
import { durationSummaryOfListed } from '../../shared/percentile.ts';
import type { RunStatus } from '../../shared/types.ts';
import type { FailureTail, PeriodBucket, PeriodFigures, Periods, ReportReader, RunStrip } from '../store.ts';
import { stripOfRuns, stripOfText } from '../strip.ts';
import { FAILURE_SQL, FINISHED_SQL } from '../status-sql.ts';
import type { SqliteDatabase } from './database.ts';
import { WITH_JOB_NAMES } from './job-names.ts';
import { RECENT_RUNS, stripSql } from './run-latest.ts';

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

/**
 * The runs of one host only (--host): a condition added only when a host is asked for, as the host is not
 * in the covering index (naming it at all, even as `@host IS NULL OR`, would make every query read table rows).
 */
const ofHost = (host: string | undefined, column = 'host'): string => (host === undefined ? '' : ` AND ${column} = @host`);
const hostParam = (host: string | undefined): { host?: string } => (host === undefined ? {} : { host });

/** A period's figures as the periods query lists them: counts, the worst outcome, the finished runs' durations. */
type PeriodRow = [number, number, number, number, number, unknown[]];

/** The periods as the JSON parameter of WITH_PERIODS. */
const periodsJson = (periods: Periods): string => JSON.stringify(periods.map((p) => [p.from, p.to]));

/** Aggregates for the status strips, the stats histogram and the HTML report, in SQLite. */
export function sqliteReportReader(db: SqliteDatabase): ReportReader {
  /** The job asked for, or every job with runs (one index seek each). */
  const jobsOf = (job: string | undefined): string[] => job !== undefined ? [job]
    : db.prepare(`${WITH_JOB_NAMES} SELECT name FROM job_names WHERE name IS NOT NULL`).pluck().all() as string[];
  return {
    async lastRuns(jobs, limit, host) {
      // Every host's: the strips run_latest keeps (sqlite/run-latest.ts), cut to the width asked for. A job
      // whose strip is not kept yet (a file migrated since its last run), --host, or a wider strip: for each
      // job, a backward walk of its index range, status and duration read from the index itself; one
      // statement for all of them (a statement per job costs more in calls than in reading).
      const kept = host === undefined && limit >= 0 && limit <= RECENT_RUNS
        ? db.prepare(`SELECT job, recent FROM run_latest WHERE recent IS NOT NULL AND job IN (SELECT value FROM json_each(?))`).raw()
          .all(JSON.stringify(jobs)) as Array<[string, string]>
        : [];
      const have = new Set(kept.map((row) => row[0]));
      const walked = db.prepare(`SELECT value, ${stripSql('value', '@limit', ofHost(host))} FROM json_each(@jobs)`).raw()
        .all({ jobs: JSON.stringify(jobs.filter((j) => !have.has(j))), limit, ...hostParam(host) }) as Array<[string, string | null]>;
      // A strip stored before migration 26 is JSON pairs, newest first (run-latest.ts).
      const stripOf = (text: unknown): RunStrip => (typeof text === 'string' && text.startsWith('[')
        ? stripOfRuns(JSON.parse(text) as Array<[unknown, unknown]>, limit) : stripOfText(text === null ? null : String(text), limit));
      const strips = new Map<string, RunStrip>();
      for (const row of kept) strips.set(row[0], stripOf(row[1]));
      for (const row of walked) strips.set(row[0], stripOf(row[1]));
      return strips;
    },
    async periods(periods, job, host) {
      // Percentiles as stats computes them (sqlite/stats.ts): nearest rank over the finished runs' durations,
      // which SQLite hands over as one JSON array per period for cronguard to rank (percentile_disc sorted a
      // copy for each of the three it took). One aggregate subquery per period, over its range of the index:
      // no GROUP BY, so SQLite never sorts the rows to group them (a sixth cheaper than a join grouped by period).
      const statement = db.prepare(`SELECT key, (SELECT json_array(count(*), max(${SEVERITY_SQL}),
          sum(status IN ('failed', 'error', 'lost')), sum(status = 'timeout'), sum(status = 'killed'),
          json_group_array(duration_ms) FILTER (WHERE ${FINISHED_SQL}))
        FROM runs WHERE job = @job AND started_at >= value ->> 0 AND started_at < value ->> 1${ofHost(host)}) FROM json_each(@periods)`).raw();
      const json = periodsJson(periods);
      return jobsOf(job).flatMap((name) => (statement.all({ periods: json, job: name, ...hostParam(host) }) as Array<[number, string]>)
        .flatMap(([period, figures]): PeriodFigures[] => {
          const [runs, worst, failures, timeouts, killed, durations] = JSON.parse(figures) as PeriodRow;
          // A period without runs answers a count of 0: no row for it.
          return runs === 0 ? [] : [{
            job: name, period, runs, worst: SEVERITY[worst] as RunStatus, failures, timeouts, killed, ...durationSummaryOfListed(durations),
          }];
        }));
    },
    async durationBuckets(periods, job, host) {
      const statement = db.prepare(`${WITH_PERIODS}
        SELECT periods.i, CAST(ln(duration_ms + 1) * ${BUCKETS_PER_E} AS INTEGER) AS bucket, count(*), max(duration_ms)
        FROM ${RUNS_IN_PERIODS} WHERE ${FINISHED_SQL} AND duration_ms >= 0${ofHost(host, 'runs.host')}
        GROUP BY periods.i, bucket`).raw();
      const json = periodsJson(periods);
      return jobsOf(job).flatMap((name) => (statement.all({ periods: json, job: name, ...hostParam(host) }) as Array<[number, number, number, number]>)
        .map(([period, bucket, runs, maxMs]): PeriodBucket => ({ job: name, period, bucket, runs, maxMs })));
    },
    async recentFailures(since, perJob, tailBytes) {
      const names = jobsOf(undefined);
      // The failures are found in the covering index (their ids), and only they are read from the table:
      // reading each candidate's row to test its status would touch a table page per run (ten times slower).
      const failedIds = db.prepare(`SELECT id FROM runs WHERE job = ? AND started_at >= ? AND status IN (${FAILURE_SQL})
        ORDER BY started_at DESC LIMIT ?`).pluck();
      const runOf = db.prepare('SELECT id, job, status, exit_code, signal, started_at, duration_ms, host, reason FROM runs WHERE id = ?');
      const tail = db.prepare('SELECT output_bytes, substr(output, -?) AS tail FROM attempts WHERE run_id = ? ORDER BY n DESC LIMIT 1');
      const result: FailureTail[] = [];
      for (const name of names) {
        for (const id of failedIds.all(name, since, perJob) as string[]) {
          const r = runOf.get(id) as Record<string, unknown>;
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
    async latestHosts() {
      return db.prepare(`${WITH_JOB_NAMES}
        SELECT name AS job, (SELECT host FROM runs WHERE job = name ORDER BY started_at DESC LIMIT 1) AS host
        FROM job_names WHERE name IS NOT NULL`).all() as Array<{ job: string; host: string }>;
    },
  };
}
