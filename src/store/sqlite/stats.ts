import { FAILURE_STATUSES } from '../../shared/types.ts';
import type { JobStats } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { ALL_JOBS, WITH_JOB_NAMES } from './job-names.ts';
import { FINISHED_SQL } from './streak.ts';

/** Only a stored number is a duration SQL can rank; a malformed row's is left out of the figures. */
export const NUMERIC_DURATION = `(CASE typeof(duration_ms) WHEN 'integer' THEN duration_ms WHEN 'real' THEN duration_ms END)`;

/**
 * Per job figures, aggregated by SQLite in one pass over the covering runs_by_job index: a million rows
 * never cross into JavaScript. Failed statuses come back as one list per job (one comparison a row, not
 * one per status). p50 and p95 are nearest-rank, rank ceil(p·n) (see shared/percentile.ts); SQLite's
 * percentile_disc(Y, P) picks rank floor(P·(n−1)) + 1 instead. For the median the two agree. For p95
 * they agree when n is a multiple of 20; otherwise nearest rank is rank floor(n/20) + 1 counted from the
 * top, which is what percentile_disc(−Y, 0.05) picks then. Both are asked, and n chooses.
 */
function statsSql(oneJob: boolean, since: boolean, duration: string): string {
  return `${oneJob ? '' : WITH_JOB_NAMES}
    SELECT job, count(*) AS runs, count(*) FILTER (WHERE status = 'success') AS successes,
      group_concat(status) FILTER (WHERE status <> 'success') AS failed, count(${duration}) AS timed,
      percentile_disc(${duration}, 0.5) AS p50, percentile_disc(${duration}, 0.95) AS p95IfWhole,
      -percentile_disc(-${duration}, 0.05) AS p95, max(${duration}) AS max
    FROM runs WHERE ${oneJob ? 'job = @job' : ALL_JOBS} ${since ? 'AND started_at >= @since' : ''}
      AND ${FINISHED_SQL}
    GROUP BY job ORDER BY job`;
}

interface StatsRow {
  job: string; runs: number; successes: number; failed: string | null; timed: number;
  p50: number | null; p95IfWhole: number | null; p95: number | null; max: number | null;
}

/** Per job, figures over its finished runs (not `running`, not `skipped`) started at or after `since`. */
export function jobStats(db: SqliteDatabase, filter: { job?: string; since?: string }): JobStats[] {
  const params: Record<string, string> = {};
  if (filter.job !== undefined) params['job'] = filter.job;
  if (filter.since !== undefined) params['since'] = filter.since;
  const query = (duration: string) => db.prepare(statsSql(filter.job !== undefined, filter.since !== undefined, duration)).all(params) as StatsRow[];
  let rows: StatsRow[];
  try {
    rows = query('duration_ms');
  } catch (error) {
    // A duration stored as text makes the percentile refuse the whole query: ask again, leaving it out
    // (only then, as checking every row's type costs a fifth more).
    if (!/not numeric/.test(String((error as Error)?.message))) throw error;
    rows = query(NUMERIC_DURATION);
  }
  return rows.map((row) => {
    const failures = Object.fromEntries(FAILURE_STATUSES.map((s) => [s, 0]));
    for (const status of row.failed?.split(',') ?? []) failures[status] = (failures[status] ?? 0) + 1;
    return {
      job: row.job, runs: row.runs, successes: row.successes, failures,
      p50Ms: row.p50, p95Ms: row.timed % 20 === 0 ? row.p95IfWhole : row.p95, maxMs: row.max,
    };
  });
}
