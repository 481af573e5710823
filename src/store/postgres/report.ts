import { BUCKETS_PER_E } from '../../shared/duration-buckets.ts';
import { SEVERITY } from '../../shared/outcome.ts';
import type { RunStatus } from '../../shared/types.ts';
import { FAILURE_SQL, FINISHED_SQL, SEVERITY_SQL } from '../status-sql.ts';
import type { FailureTail, PeriodBucket, PeriodFigures, Periods, ReportReader } from '../store.ts';
import { stripOfRuns } from '../strip.ts';
import type { PgClient } from './client.ts';
import { JOB_NAMES, rank } from './reads.ts';

const FAILED = `status IN (${FAILURE_SQL})`;
const FINISHED = FINISHED_SQL;

/** The periods ($1, as JSON [[from, to], ...]) as a table p(i, lo, hi), i counted from 0. */
const PERIODS = `p AS (SELECT (n - 1)::int AS i, e ->> 0 AS lo, e ->> 1 AS hi FROM json_array_elements($1::text::json) WITH ORDINALITY AS t(e, n))`;
/** The runs of job $2 (every job when null) and host $3 (every host when null) started in a period. */
const RUNS_IN_PERIODS = `p JOIN runs ON runs.started_at >= p.lo COLLATE "C" AND runs.started_at < p.hi COLLATE "C" AND ($2::text IS NULL OR runs.job = $2::text)
  AND ($3::text IS NULL OR runs.host = $3::text)`;

const periodsJson = (periods: Periods): string => JSON.stringify(periods.map((p) => [p.from, p.to]));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

/** Aggregates for the status strips, the stats histogram and the HTML report, in PostgreSQL (as sqlite/report.ts). */
export function pgReportReader(db: PgClient): ReportReader {
  return {
    lastRuns: (jobs, limit, host) => db.call(async (sql) => {
      // One statement for every job: each job's latest runs from its index range, newest first, turned around here.
      const ofHost = host === undefined ? sql`` : sql`AND host = ${host}`;
      const rows = await sql<Array<{ job: string; list: string }>>`SELECT j.job, coalesce((SELECT json_agg(json_build_array(status, duration_ms))
          FROM (SELECT status, duration_ms FROM runs WHERE job = j.job ${ofHost} ORDER BY started_at DESC LIMIT ${limit}) r), '[]')::text AS list
        FROM json_array_elements_text(${JSON.stringify(jobs)}::text::json) AS j(job)`;
      return new Map(rows.map(({ job, list: runs }) => [job, stripOfRuns((JSON.parse(runs) as Array<[unknown, unknown]>)
        .map(([status, durationMs]) => [status, num(durationMs)] as const), limit)]));
    }),
    periods: (periods, job, host) => db.call(async (sql) => {
      // Percentiles as stats computes them (reads.ts): nearest rank over each group's sorted finished durations.
      const rows = await sql.unsafe<Array<Record<string, unknown>>>(`WITH ${PERIODS}
        SELECT job, period, runs, worst, failures, timeouts, killed, ${rank(50)} AS p50, ${rank(95)} AS p95, d[cardinality(d)] AS max
        FROM (SELECT runs.job, p.i AS period, count(*) AS runs, max(${SEVERITY_SQL}) AS worst,
            count(*) FILTER (WHERE status IN ('failed', 'error', 'lost')) AS failures,
            count(*) FILTER (WHERE status = 'timeout') AS timeouts, count(*) FILTER (WHERE status = 'killed') AS killed,
            array_agg(duration_ms ORDER BY duration_ms) FILTER (WHERE ${FINISHED} AND duration_ms IS NOT NULL) AS d
          FROM ${RUNS_IN_PERIODS} GROUP BY runs.job, p.i) s
        ORDER BY job, period`, [periodsJson(periods), job ?? null, host ?? null]);
      return rows.map((r): PeriodFigures => ({
        job: r['job'] as string, period: Number(r['period']), runs: Number(r['runs']), worst: SEVERITY[Number(r['worst'])] as RunStatus,
        failures: Number(r['failures']), timeouts: Number(r['timeouts']), killed: Number(r['killed']),
        p50Ms: num(r['p50']), p95Ms: num(r['p95']), maxMs: num(r['max']),
      }));
    }),
    durationBuckets: (periods, job, host) => db.call(async (sql) => {
      // The bucket as shared/duration-buckets.ts bucketOf computes it (floor of a double).
      const rows = await sql.unsafe<Array<Record<string, unknown>>>(`WITH ${PERIODS}
        SELECT runs.job, p.i AS period, floor(ln((duration_ms + 1)::float8) * ${BUCKETS_PER_E})::int AS bucket, count(*) AS runs, max(duration_ms) AS max
        FROM ${RUNS_IN_PERIODS} WHERE ${FINISHED} AND duration_ms >= 0
        GROUP BY runs.job, p.i, bucket ORDER BY runs.job, p.i, bucket`, [periodsJson(periods), job ?? null, host ?? null]);
      return rows.map((r): PeriodBucket => ({
        job: r['job'] as string, period: Number(r['period']), bucket: Number(r['bucket']), runs: Number(r['runs']), maxMs: Number(r['max']),
      }));
    }),
    recentFailures: (since, perJob, tailBytes) => db.call(async (sql) => {
      // Per job its latest failures (an index range each), then only their last attempt's tail crosses the network.
      const rows = await sql.unsafe<Array<Record<string, unknown>>>(`SELECT r.id, r.job, r.status, r.exit_code, r.signal, r.started_at,
          r.duration_ms, r.host, r.reason, a.output_bytes,
          substring(a.output FROM greatest(1, length(a.output) - $3::int + 1)) AS tail
        FROM (${JOB_NAMES}) AS j
        CROSS JOIN LATERAL (SELECT * FROM runs WHERE job = j.x AND started_at >= $1::text COLLATE "C" AND ${FAILED}
          ORDER BY started_at DESC LIMIT $2::int) AS r
        LEFT JOIN LATERAL (SELECT output_bytes, output FROM attempts WHERE run_id = r.id ORDER BY n DESC LIMIT 1) AS a ON true
        ORDER BY j.x, r.started_at DESC`, [since, perJob, tailBytes]);
      return rows.map((r): FailureTail => ({
        id: r['id'] as string, job: r['job'] as string, status: r['status'] as RunStatus, exitCode: num(r['exit_code']),
        signal: r['signal'] as string | null, startedAt: r['started_at'] as string, durationMs: num(r['duration_ms']),
        host: r['host'] as string, reason: r['reason'] as string | null,
        tail: r['tail'] instanceof Uint8Array ? r['tail'] : new Uint8Array(), outputBytes: num(r['output_bytes']) ?? 0,
      }));
    }),
    openProblems: () => db.call(async (sql) =>
      sql<Array<{ job: string; kind: string; since: string; message: string }>>`SELECT job, kind, since, message FROM problems ORDER BY job, kind`)
      .then((rows) => rows.map((r) => ({ job: r.job, kind: r.kind, since: r.since, message: r.message }))),
    latestHosts: () => db.call(async (sql) => {
      const rows = await sql.unsafe<Array<{ job: string; host: string }>>(`SELECT j.x AS job,
          (SELECT host FROM runs WHERE job = j.x ORDER BY started_at DESC LIMIT 1) AS host FROM (${JOB_NAMES}) AS j`);
      return rows.map((r) => ({ job: r.job, host: r.host }));
    }),
  };
}
