import type { CrontabReading } from '../schedule/crontab.ts';
import type { CrontabSeen } from '../shared/sweep-model.ts';
import { sameTarget, targetOf, type StoreTarget } from '../store/target.ts';

/**
 * The crontab jobs whose runs land in this database, grouped by name (a job may have several lines).
 * A line naming another database (--db, CRONGUARD_DB) records elsewhere; so does a system-crontab line
 * run as another user without naming one (that user's own default database): sweep leaves both alone.
 */
export function crontabJobsFor(reading: CrontabReading, target: StoreTarget, user: string): CrontabSeen[] {
  const byName = new Map<string, CrontabSeen>();
  for (const job of reading.jobs) {
    const named = job.db === null ? null : targetOf(job.db);
    const ours = job.db !== null ? named !== null && sameTarget(named, target) : job.user === null || job.user === user;
    if (!ours) continue;
    let seen = byName.get(job.name);
    if (!seen) byName.set(job.name, (seen = { name: job.name, schedules: [] }));
    seen.schedules.push({ schedule: job.schedule, tz: job.tz, ...(job.dst ? { dst: job.dst } : {}), graceMs: job.graceMs, source: job.source });
  }
  return [...byName.values()];
}
