import type { DayBand, HostReport, JobReport, ReportDay, ReportModel } from '../report/html/model.ts';
import { systemZone } from '../schedule/zone.ts';
import { SEVERITY } from '../shared/outcome.ts';
import type { RunStatus } from '../shared/types.ts';
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

/** A day's band: the durations of its finished runs, null when none has one. */
function band(day: PeriodFigures | null): DayBand | null {
  if (!day || day.p50Ms === null || day.p95Ms === null || day.maxMs === null) return null;
  return { runs: day.runs, p50Ms: day.p50Ms, p95Ms: day.p95Ms, maxMs: day.maxMs };
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
  const failures = byJob(await store.report.recentFailures(days[0]?.from ?? now.toISOString(), FAILURES_PER_JOB, TAIL_BYTES));
  const problems = byJob(await store.report.openProblems());
  const cache = new ScheduleCache();
  const jobs = facts.map((fact): JobReport => {
    const line = statusLine(fact, now.getTime(), cache);
    const dayFigures: Array<PeriodFigures | null> = days.map(() => null);
    for (const f of figures.get(fact.job) ?? []) dayFigures[f.period] = f;
    return {
      job: fact.job, schedule: line.schedule, tz: line.tz, lastStatus: line.lastStatus, lastStartedAt: line.lastStartedAt,
      lastDurationMs: line.lastDurationMs, nextExpectedAt: line.nextExpectedAt, failureStreak: line.failureStreak,
      days: dayFigures, bands: dayFigures.map(band), problems: problems.get(fact.job) ?? [], failures: failures.get(fact.job) ?? [],
    };
  });
  return { generatedAt: now.toISOString(), zone: systemZone(), lastSweepAt, days, jobs, hosts: hostReports(await store.report.latestHosts(), jobs, days.length) };
}

/**
 * Per host, its jobs' days added up: each job counts under the host of its latest run (reading every run's
 * host would cost a table lookup per run); null when the history holds one host only.
 */
function hostReports(latest: ReadonlyArray<{ job: string; host: string }>, jobs: readonly JobReport[], dayCount: number): HostReport[] | null {
  const names = [...new Set(latest.map((l) => l.host))].sort();
  if (names.length < 2) return null;
  const severity = (status: string) => SEVERITY.indexOf(status as RunStatus);
  return names.map((host) => {
    const mine = new Set(latest.filter((l) => l.host === host).map((l) => l.job));
    const days: HostReport['days'] = Array.from({ length: dayCount }, () => null);
    for (const job of jobs) {
      if (!mine.has(job.job)) continue;
      job.days.forEach((d, i) => {
        if (!d) return;
        const seen = days[i];
        const failures = d.failures + d.timeouts + d.killed;
        if (!seen) days[i] = { runs: d.runs, failures, worst: d.worst };
        else days[i] = { runs: seen.runs + d.runs, failures: seen.failures + failures, worst: severity(d.worst) > severity(seen.worst) ? d.worst : seen.worst };
      });
    }
    return { host, jobs: [...mine].sort(), days };
  });
}
