import { durationSummaryOfListed } from '../../shared/percentile.ts';
import { FAILURE_STATUSES } from '../../shared/types.ts';
import type { JobStats } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { ALL_JOBS, WITH_JOB_NAMES } from './job-names.ts';
import { FINISHED_SQL } from '../status-sql.ts';

/**
 * Per job figures, aggregated by SQLite in one pass over the covering runs_by_job index: a million rows
 * never cross into JavaScript one by one. Failed statuses come back as one list per job (one comparison a
 * row, not one per status) and the durations as one JSON array per job, ranked here by selection (nearest
 * rank, see shared/percentile.ts): SQLite's percentile_disc sorts its own copy of the values for each
 * percentile asked, and nearest rank needed three of them (together about a third of the CPU of stats).
 * A duration that is not a number (a malformed row) is left out of the figures.
 */
function statsSql(oneJob: boolean, since: boolean, host: boolean): string {
  return `${oneJob ? '' : WITH_JOB_NAMES}
    SELECT job, count(*) AS runs, count(*) FILTER (WHERE status = 'success') AS successes,
      group_concat(status) FILTER (WHERE status <> 'success') AS failed, json_group_array(duration_ms) AS durations
    FROM runs WHERE ${oneJob ? 'job = @job' : ALL_JOBS} ${since ? 'AND started_at >= @since' : ''} ${host ? 'AND host = @host' : ''}
      AND ${FINISHED_SQL}
    GROUP BY job ORDER BY job`;
}

interface StatsRow { job: string; runs: number; successes: number; failed: string | null; durations: string }

/** Per job, figures over its finished runs (not `running`, not `skipped`) started at or after `since`. */
export function jobStats(db: SqliteDatabase, filter: { job?: string; since?: string; host?: string }): JobStats[] {
  const params: Record<string, string> = {};
  if (filter.job !== undefined) params['job'] = filter.job;
  if (filter.since !== undefined) params['since'] = filter.since;
  if (filter.host !== undefined) params['host'] = filter.host;
  const statement = db.prepare(statsSql(filter.job !== undefined, filter.since !== undefined, filter.host !== undefined));
  const stats: JobStats[] = [];
  // Row by row: one job's durations at a time are held here.
  for (const row of statement.iterate(params) as IterableIterator<StatsRow>) {
    const failures = Object.fromEntries(FAILURE_STATUSES.map((s) => [s, 0]));
    for (const status of row.failed?.split(',') ?? []) failures[status] = (failures[status] ?? 0) + 1;
    stats.push({ job: row.job, runs: row.runs, successes: row.successes, failures, ...durationSummaryOfListed(JSON.parse(row.durations) as unknown[]) });
  }
  return stats;
}
