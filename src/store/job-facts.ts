import type { JobFacts, ScheduleEntry } from '../shared/sweep-model.ts';
import { parseJsonSafely } from '../shared/json.ts';

/** A jobs-table row: the --schedule a job's runs recorded. */
export interface RecordedJobRow { name: string; schedule: string | null; tz: string | null; grace_ms: number | null; first_seen_at: string }

/** A crontab_jobs row: the schedules (JSON) a sweep read for one job (on PostgreSQL, one row per host). */
export interface CrontabJobRow { name: string; schedules: string; first_seen_at: string }

/** One schedule per distinct (schedule, zone, DST rule, grace): the same line in several crontabs is one expectation. */
function mergeSchedules(entries: ScheduleEntry[]): ScheduleEntry[] {
  const seen = new Map<string, ScheduleEntry>();
  for (const entry of entries) {
    const key = JSON.stringify([entry.schedule, entry.tz, entry.dst ?? null, entry.graceMs]);
    if (!seen.has(key)) seen.set(key, entry);
  }
  return [...seen.values()];
}

/** The schedules a crontab_jobs row holds; entries that are not schedule entries are left out (a bad row never stops a sweep). */
function storedSchedules(text: string): ScheduleEntry[] {
  const value = parseJsonSafely(text);
  const isEntry = (e: Record<string, unknown>): boolean => typeof e['schedule'] === 'string' && typeof e['source'] === 'string'
    && (e['tz'] === null || typeof e['tz'] === 'string') && (e['graceMs'] === null || typeof e['graceMs'] === 'number')
    && (e['dst'] === undefined || e['dst'] === 'exact');
  return Array.isArray(value) ? value.filter((e): e is ScheduleEntry => typeof e === 'object' && e !== null && isEntry(e as Record<string, unknown>)) : [];
}

/**
 * Every job the jobs and crontab tables know, with its schedules and when it was first seen; the run facts
 * (latest runs, streak) start empty for the backend to fill. Shared by every backend, so a job is assembled
 * the same way whichever database holds it.
 */
export function assembleJobs(recorded: readonly RecordedJobRow[], crontab: readonly CrontabJobRow[]): JobFacts[] {
  const facts = new Map<string, JobFacts>();
  const fact = (name: string): JobFacts => {
    let f = facts.get(name);
    if (!f) facts.set(name, (f = { job: name, recorded: null, crontab: [], firstSeenAt: null, last: null, lastFinished: null, failed: null, streak: { count: 0, since: null } }));
    return f;
  };
  const earliest = (a: string | null, b: string) => (a === null || b < a ? b : a);
  for (const r of recorded) {
    const f = fact(r.name);
    if (r.schedule !== null) f.recorded = { schedule: r.schedule, tz: r.tz, graceMs: r.grace_ms, source: '--schedule' };
    f.firstSeenAt = earliest(f.firstSeenAt, r.first_seen_at);
  }
  for (const c of crontab) {
    const f = fact(c.name);
    f.crontab = mergeSchedules([...f.crontab, ...storedSchedules(c.schedules)]);
    f.firstSeenAt = earliest(f.firstSeenAt, c.first_seen_at);
  }
  return [...facts.values()];
}

/**
 * Jobs in name order; with a host, only those that host ran, and with `orInCrontab` (sweep --host, whose
 * crontab lines are the host's own) also those its crontab holds.
 */
export const jobsInOrder = (facts: JobFacts[], host: string | null, orInCrontab = false): JobFacts[] =>
  facts.filter((f) => host === null || f.last !== null || (orInCrontab && f.crontab.length > 0))
    .sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0));
