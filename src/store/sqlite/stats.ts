import { durationSummaryOfListed } from '../../shared/percentile.ts';
import { FAILURE_STATUSES } from '../../shared/types.ts';
import type { JobStats } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { ALL_JOBS, WITH_JOB_NAMES } from './job-names.ts';
import { FINISHED_SQL } from '../status-sql.ts';
import { dayFigures, dirtyRuns, runDaysPending } from './run-days.ts';

/**
 * Per job figures straight from runs (with --host, before the day summaries are built, and as the reference
 * they must equal), aggregated by SQLite in one pass over the covering runs_by_job index: a million rows
 * never cross into JavaScript one by one. Failed statuses come back as one list per job (one comparison a
 * row, not one per status) and the durations as one JSON list per job, ranked here by selection (nearest
 * rank, see shared/percentile.ts): SQLite's percentile_disc sorts its own copy of the values for each
 * percentile asked, and nearest rank needed three of them (together about a third of the CPU of stats).
 * A duration that is not a number (a malformed row) is left out of the figures.
 */
function statsSql(oneJob: boolean, since: boolean, host: boolean): string {
  return `${oneJob ? '' : WITH_JOB_NAMES}
    SELECT job, ${dayFigures()} FROM runs WHERE ${oneJob ? 'job = @job' : ALL_JOBS} ${since ? 'AND started_at >= @since' : ''} ${host ? 'AND host = @host' : ''}
      AND ${FINISHED_SQL}
    GROUP BY job ORDER BY job`;
}

/**
 * The same figures from the day summaries (run-days.ts): the stored days after since's day that hold finished runs and are not
 * dirty, the dirty ones recomputed from runs, and since's own day from runs (its runs from since on), each
 * job's parts then joined: counts summed, failed statuses and duration lists concatenated. Since's day is
 * its first ten characters: a run whose first ten are greater started after since whatever follows, one
 * whose first ten are smaller before it, so the parts hold exactly the runs the direct query reads.
 */
function rollupSql(oneJob: boolean, since: boolean): string {
  const job = (k: string) => (oneJob ? `${k}.job = @job` : '1');
  const after = (k: string) => (since ? `${k}.day > @sinceDay` : '1');
  const parts = [
    `SELECT job, runs, successes, failed, durations FROM run_days d WHERE ${job('d')} AND ${after('d')} AND d.runs > 0
      AND NOT EXISTS (SELECT 1 FROM run_days_dirty k WHERE k.job = d.job AND k.day = d.day)`,
    `SELECT job, ${dayFigures()}
      FROM (${dirtyRuns(`${job('k')} AND ${after('k')}`)}) GROUP BY job`,
    ...(since ? [`SELECT job, ${dayFigures()} FROM runs
      WHERE ${oneJob ? 'job = @job' : SINCE_DAY_JOBS} AND started_at >= @since AND started_at < @sinceEnd AND ${FINISHED_SQL}
      GROUP BY job`] : []),
  ];
  return `WITH parts AS (${parts.join(' UNION ALL ')})
    SELECT job, sum(runs) AS runs, sum(successes) AS successes, group_concat(failed) AS failed,
      group_concat(durations) AS durations
    FROM parts GROUP BY job ORDER BY job`;
}

/** Whether stats can read the day summaries: not per host (they are not kept per host), not before they are built, and since a plain time. */
function rollupServes(db: SqliteDatabase, filter: { since?: string; host?: string }): boolean {
  return filter.host === undefined && (filter.since === undefined || /^[\x21-\x7e]{10}/.test(filter.since)) && !runDaysPending(db);
}

/** The jobs with finished runs on since's day: a stored or a dirty day (a day neither holds has none). */
const SINCE_DAY_JOBS = `job IN (SELECT job FROM run_days WHERE day = @sinceDay UNION SELECT job FROM run_days_dirty WHERE day = @sinceDay)`;

interface StatsRow { job: string; runs: number; successes: number; failed: string | null; durations: string }

/**
 * Per job, figures over its finished runs (not `running`, not `skipped`) started at or after `since`: from
 * the day summaries when they serve, else (or when `direct`, for tests) straight from runs.
 */
export function jobStats(db: SqliteDatabase, filter: { job?: string; since?: string; host?: string }, direct = false): JobStats[] {
  const params: Record<string, string> = {};
  if (filter.job !== undefined) params['job'] = filter.job;
  if (filter.since !== undefined) params['since'] = filter.since;
  if (filter.host !== undefined) params['host'] = filter.host;
  const rollup = !direct && rollupServes(db, filter);
  if (rollup && filter.since !== undefined) {
    // Ten printable ASCII characters: the texts starting with them are exactly those from them up to them
    // with the last one raised (see run-days.ts).
    params['sinceDay'] = filter.since.slice(0, 10);
    params['sinceEnd'] = filter.since.slice(0, 9) + String.fromCharCode(filter.since.charCodeAt(9) + 1);
  }
  const statement = db.prepare(rollup ? rollupSql(filter.job !== undefined, filter.since !== undefined)
    : statsSql(filter.job !== undefined, filter.since !== undefined, filter.host !== undefined));
  const stats: JobStats[] = [];
  // Row by row: one job's durations at a time are held here.
  for (const row of statement.iterate(params) as IterableIterator<StatsRow>) {
    const failures = Object.fromEntries(FAILURE_STATUSES.map((s) => [s, 0]));
    for (const status of row.failed?.split(',') ?? []) failures[status] = (failures[status] ?? 0) + 1;
    stats.push({ job: row.job, runs: row.runs, successes: row.successes, failures, ...durationSummaryOfListed(JSON.parse(`[${row.durations}]`) as unknown[]) });
  }
  return stats;
}
