import type { RunFilter } from '../store.ts';
import { ALL_JOBS } from './job-names.ts';

/**
 * The WHERE conditions and parameters of a run listing; `from` replaces --since (a window's start).
 * Without a job, `jobSeeks` names every job (ALL_JOBS) so the index is read job by job; a scan of the
 * whole table needs no such condition.
 */
export function runConditions(filter: RunFilter, from: string | undefined, jobSeeks = true): { where: string[]; params: Record<string, unknown> } {
  const where: string[] = filter.job !== undefined ? ['job = @job'] : jobSeeks ? [ALL_JOBS] : ['1'];
  const params: Record<string, unknown> = {};
  if (filter.job !== undefined) params['job'] = filter.job;
  if (from !== undefined) { where.push(`started_at >= @from`); params['from'] = from; }
  if (filter.until !== undefined) { where.push(`started_at < @until`); params['until'] = filter.until; }
  if (filter.host !== undefined) { where.push(`host = @host`); params['host'] = filter.host; }
  if (filter.statuses?.length) {
    where.push(`status IN (SELECT value FROM json_each(@statuses))`);
    params['statuses'] = JSON.stringify(filter.statuses);
  }
  return { where, params };
}
