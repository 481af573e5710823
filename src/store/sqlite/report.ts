import { BUCKETS_PER_E } from '../../shared/duration-buckets.ts';
import type { RunStatus } from '../../shared/types.ts';
import type { FailureTail, PeriodBucket, Periods, ReportReader, RunStrip } from '../store.ts';
import { stripOfRuns, stripOfText } from '../strip.ts';
import { FAILURE_SQL, FINISHED_SQL } from '../status-sql.ts';
import type { SqliteDatabase } from './database.ts';
import { WITH_JOB_NAMES } from './job-names.ts';
import { hostParam, ofHost, periodFigures } from './report-days.ts';
import { RECENT_RUNS, stripSql } from './run-latest.ts';
import { parseJsonSafely } from '../../shared/json.ts';

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

/** A stored JSON strip's pairs; whoever can write the runs can write it, so text that is not a list of them is an empty strip. */
function jsonPairs(text: string): Array<[unknown, unknown]> {
  const parsed = parseJsonSafely(text);
  return Array.isArray(parsed) ? parsed.map((pair: unknown) => (Array.isArray(pair) ? [pair[0], pair[1]] : [null, null])) : [];
}

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
      const missing = kept.length === jobs.length ? [] : jobs.filter((j) => !have.has(j));
      // Prepared only when a strip is missing: the walk is a long statement, and usually every strip is kept.
      const walked = missing.length === 0 ? [] : db.prepare(`SELECT value, ${stripSql('value', '@limit', ofHost(host))} FROM json_each(@jobs)`).raw()
        .all({ jobs: JSON.stringify(missing), limit, ...hostParam(host) }) as Array<[string, string | null]>;
      // A strip stored before migration 27 is JSON pairs, newest first (run-latest.ts).
      const stripOf = (text: unknown): RunStrip => (typeof text === 'string' && text.startsWith('[')
        ? stripOfRuns(jsonPairs(text), limit) : stripOfText(text === null ? null : String(text), limit));
      const strips = new Map<string, RunStrip>();
      for (const row of kept) strips.set(row[0], stripOf(row[1]));
      for (const row of walked) strips.set(row[0], stripOf(row[1]));
      return strips;
    },
    async periods(periods, job, host) {
      return periodFigures(db, periods, jobsOf(job), host);
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
      // From run_latest, as sweep reads each job's latest run (sqlite/run-latest.ts): reading it from runs cost
      // a table page per job (the host is not in the covering index), a twentieth of the report over a thousand jobs.
      return db.prepare('SELECT job, host FROM run_latest ORDER BY job').all() as Array<{ job: string; host: string }>;
    },
  };
}
