import type { CrontabReading } from '../schedule/crontab.ts';
import type { CrontabSeen, ScheduleEntry } from '../shared/sweep-model.ts';
import { sameTarget, targetOf, type StoreTarget } from '../store/target.ts';

/**
 * The crontab jobs whose runs land in this database, grouped by name (a job may have several lines).
 * A line naming another database (--db, CRONGUARD_DB) records elsewhere; so does a system-crontab line
 * run as another user without naming one (that user's own default database): sweep leaves both alone.
 */
export function crontabJobsFor(reading: CrontabReading, target: StoreTarget, user: string): CrontabSeen[] {
  const byName = new Map<string, CrontabSeen>();
  for (const job of reading.jobs) {
    if (!recordsHere(job, target, user)) continue;
    let seen = byName.get(job.name);
    if (!seen) byName.set(job.name, (seen = { name: job.name, schedules: [] }));
    seen.schedules.push({ schedule: job.schedule, tz: job.tz, ...(job.dst ? { dst: job.dst } : {}), graceMs: job.graceMs, source: job.source });
  }
  return [...byName.values()];
}

/** Whether a crontab line's cronguard records in this database (see crontabJobsFor). */
function recordsHere(line: { db: string | null; user: string | null }, target: StoreTarget, user: string): boolean {
  if (line.db === null) return line.user === null || line.user === user;
  const named = targetOf(line.db);
  return named !== null && sameTarget(named, target);
}

/** The crontab lines that run `cronguard sweep` on this database, as schedules: the watcher expects sweeps on them. */
export function sweepLinesFor(reading: CrontabReading, target: StoreTarget, user: string): ScheduleEntry[] {
  return reading.sweeps.filter((line) => recordsHere(line, target, user))
    .map((line) => ({ schedule: line.schedule, tz: line.tz, ...(line.dst ? { dst: line.dst } : {}), graceMs: null, source: line.source }));
}
