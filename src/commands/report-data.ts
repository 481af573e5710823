import type { DayBand, HostReport, JobReport, ReportDay, ReportModel } from '../report/html/model.ts';
import { systemZone } from '../schedule/zone.ts';
import { bucketPercentile, mergeBuckets, type DurationBucket } from '../shared/duration-buckets.ts';
import type { PeriodFigures, Store } from '../store/store.ts';
import { ScheduleCache } from '../sweep/overdue.ts';
import { statusLine } from './status.ts';

/** The most days one report shows (a year and a day): the grid stays a page, not a wall. */
export const MAX_DAYS = 366;
/** Failures shown per job, and how much of each one's output. */
const FAILURES_PER_JOB = 3;
const TAIL_BYTES = 2048;

/** Two digits, zero-padded. */
const two = (n: number) => String(n).padStart(2, '0');

/**
 * The local days from the first one that starts at or after `since` to the one holding `now` (so
 * `--since 30d` gives 30 days, today included), each as the instants it begins and ends: built from local
 * dates, so the day of a DST change is 23 or 25 hours long, as it was lived. At most MAX_DAYS, the latest.
 */
export function localDays(since: Date, now: Date): ReportDay[] {
  const midnight = new Date(since.getFullYear(), since.getMonth(), since.getDate());
  let day = midnight.getTime() < since.getTime() ? new Date(since.getFullYear(), since.getMonth(), since.getDate() + 1) : midnight;
  const earliest = new Date(now.getFullYear(), now.getMonth(), now.getDate() - MAX_DAYS + 1);
  if (day.getTime() < earliest.getTime()) day = earliest;
  const days: ReportDay[] = [];
  while (day.getTime() <= now.getTime()) {
    const next = new Date(day.getFullYear(), day.getMonth(), day.getDate() + 1);
    days.push({ from: day.toISOString(), to: next.toISOString(), date: `${day.getFullYear()}-${two(day.getMonth() + 1)}-${two(day.getDate())}` });
    day = next;
  }
  return days;
}

/** Groups items by job. */
function byJob<T extends { job: string }>(items: readonly T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const item of items) {
    const list = map.get(item.job);
    if (list) list.push(item);
    else map.set(item.job, [item]);
  }
  return map;
}

/** A day's band from its buckets. */
function band(buckets: readonly DurationBucket[]): DayBand | null {
  const runs = buckets.reduce((n, b) => n + b.runs, 0);
  if (runs === 0) return null;
  return { runs, p50Ms: bucketPercentile(buckets, 50) ?? 0, p95Ms: bucketPercentile(buckets, 95) ?? 0, maxMs: Math.max(...buckets.map((b) => b.maxMs)) };
}

/**
 * Everything the report shows, read as aggregates from the store (a few thousand rows whatever the
 * history holds): per job and day the counts and worst outcome, duration buckets, the latest failures with
 * their output tails, open problems, hosts; the jobs' schedules and streaks as `status` reads them.
 */
export async function gatherReport(store: Store, since: Date, now: Date): Promise<ReportModel> {
  const days = localDays(since, now);
  const periods = days.map((d) => ({ from: d.from, to: d.to }));
  const facts = await store.sweep.jobs();
  const lastSweepAt = await store.sweep.lastSweepAt();
  const figures = byJob(await store.report.periods(periods));
  const buckets = byJob(await store.report.durationBuckets(periods));
  const failures = byJob(await store.report.recentFailures(days[0]?.from ?? now.toISOString(), FAILURES_PER_JOB, TAIL_BYTES));
  const problems = byJob(await store.report.openProblems());
  const cache = new ScheduleCache();
  const jobs = facts.map((fact): JobReport => {
    const line = statusLine(fact, now.getTime(), cache);
    const dayFigures: Array<PeriodFigures | null> = days.map(() => null);
    for (const f of figures.get(fact.job) ?? []) dayFigures[f.period] = f;
    const dayBuckets: DurationBucket[][] = days.map(() => []);
    for (const b of buckets.get(fact.job) ?? []) dayBuckets[b.period]?.push(b);
    const all = mergeBuckets(dayBuckets);
    return {
      job: fact.job, schedule: line.schedule, tz: line.tz, lastStatus: line.lastStatus, lastStartedAt: line.lastStartedAt,
      nextExpectedAt: line.nextExpectedAt, failureStreak: line.failureStreak, days: dayFigures, bands: dayBuckets.map(band),
      p50Ms: bucketPercentile(all, 50), p95Ms: bucketPercentile(all, 95),
      problems: problems.get(fact.job) ?? [], failures: failures.get(fact.job) ?? [],
    };
  });
  return { generatedAt: now.toISOString(), zone: systemZone(), lastSweepAt, days, jobs, hosts: await hostReports(store, periods) };
}

/** Per host, failures by day and the jobs last run there; null when the history holds one host only. */
async function hostReports(store: Store, periods: ReadonlyArray<{ from: string; to: string }>): Promise<HostReport[] | null> {
  const { latest, failures } = await store.report.hosts(periods);
  const names = [...new Set([...latest.map((l) => l.host), ...failures.map((f) => f.host)])].sort();
  if (names.length < 2) return null;
  return names.map((host) => {
    const perDay = periods.map(() => 0);
    for (const f of failures) if (f.host === host) perDay[f.period] = f.failures;
    return { host, jobs: latest.filter((l) => l.host === host).map((l) => l.job), failures: perDay };
  });
}
