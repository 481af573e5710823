import { formatDuration } from '../shared/duration.ts';
import { localTime } from '../shared/local-time.ts';
import { compileSchedule, firstStartAfter, type Schedule } from '../schedule/walk.ts';
import { systemZone, wallText } from '../schedule/zone.ts';
import { firstValidTime, storedMs } from '../shared/stored.ts';
import type { JobFacts, Problem, ScheduleEntry } from '../shared/sweep-model.ts';

/** How late a run may start when neither the crontab line nor the job's runs say (SPEC §2). */
export const DEFAULT_GRACE_MS = 5 * 60_000;

/** Compiles schedules once per sweep: a thousand jobs share a handful of schedules. */
export class ScheduleCache {
  private readonly compiled = new Map<string, Schedule | string>();

  /** The schedule in its zone, or why it cannot be walked. */
  get(entry: ScheduleEntry): Schedule | string {
    const key = `${entry.schedule}\0${entry.tz ?? ''}\0${entry.dst ?? ''}`;
    let s = this.compiled.get(key);
    if (s === undefined) this.compiled.set(key, (s = compileSchedule(entry.schedule, entry.tz, true, entry.dst ?? 'cron')));
    return s;
  }

  private readonly starts = new Map<string, Map<string, number | null>>();
  private lastAsked: { from: number; bootMs: number | null; starts: Map<string, number | null> } | null = null;

  /**
   * The entry's first expected start after `from` (null: none, or not a schedule cron runs), remembered:
   * status asks it of a thousand jobs at one instant, and they share a handful of schedules.
   */
  firstStartAfter(entry: ScheduleEntry, from: number, bootMs: number | null): number | null {
    // The starts after one instant, looked up once for a run of questions about that instant.
    let asked = this.lastAsked;
    if (asked === null || asked.from !== from || asked.bootMs !== bootMs) {
      const instant = `${from}\0${bootMs ?? ''}`;
      let starts = this.starts.get(instant);
      if (!starts) this.starts.set(instant, (starts = new Map()));
      asked = this.lastAsked = { from, bootMs, starts };
    }
    const key = `${entry.schedule}\0${entry.tz ?? ''}\0${entry.dst ?? ''}`;
    let start = asked.starts.get(key);
    if (start === undefined) {
      const schedule = this.get(entry);
      asked.starts.set(key, (start = typeof schedule === 'string' ? null : firstStartAfter(schedule, from, bootMs)));
    }
    return start;
  }

  private readonly texts = new Map<number, string>();

  /** An expected start as stored text (ISO), remembered: a thousand jobs share a handful of next starts. */
  startText(at: number): string {
    let text = this.texts.get(at);
    if (text === undefined) this.texts.set(at, (text = new Date(at).toISOString()));
    return text;
  }
}

/** The schedules a job is expected on: its crontab lines when it has any (cron obeys them), else its --schedule. */
export function schedulesOf(job: JobFacts): ScheduleEntry[] {
  if (job.crontab.length > 0) return job.crontab;
  return job.recorded ? [job.recorded] : [];
}

/**
 * The first start after the previous sweep that sweep's own crontab lines call for (the earliest, when
 * there are several), or null: no previous sweep, or no line whose schedule can be walked.
 */
export function nextSweepExpected(lines: readonly ScheduleEntry[], previousAt: string | null, bootMs: number | null, cache: ScheduleCache):
  { at: number; entry: ScheduleEntry } | null {
  const after = storedMs(previousAt);
  if (after === null) return null;
  let best: { at: number; entry: ScheduleEntry } | null = null;
  for (const entry of lines) {
    const start = cache.firstStartAfter(entry, after, bootMs);
    if (start !== null && (best === null || start < best.at)) best = { at: start, entry };
  }
  return best;
}

/**
 * Whether a job is overdue at `at`: its first expected start after its latest run (or after it was first
 * seen) plus grace has passed. The walk goes forward from that instant, never back from now.
 */
export function judgeOverdue(job: JobFacts, at: number, bootMs: number | null, cache: ScheduleCache): { problem: Problem | null; warnings: string[] } {
  const warnings: string[] = [];
  // A latest start that is not a time cannot anchor the walk; when the job was first seen still can.
  const anchor = firstValidTime(job.last?.startedAt, job.firstSeenAt);
  if (anchor === null) return { problem: null, warnings };
  let due: { start: number; grace: number; entry: ScheduleEntry; schedule: Schedule } | null = null;
  for (const entry of schedulesOf(job)) {
    const schedule = cache.get(entry);
    if (typeof schedule === 'string') {
      warnings.push(`job ${job.job}: schedule ${JSON.stringify(entry.schedule)} (${entry.source}) is not one cron runs: ${schedule}; it is not checked for overdue`);
      continue;
    }
    const start = firstStartAfter(schedule, Date.parse(anchor), bootMs);
    const grace = entry.graceMs ?? job.recorded?.graceMs ?? DEFAULT_GRACE_MS;
    if (start !== null && start + grace < at && (due === null || start < due.start)) due = { start, grace, entry, schedule };
  }
  if (!due) return { problem: null, warnings };
  const when = due.schedule.kind === 'cron'
    ? `${wallText(due.schedule.zone, due.start)} ${due.schedule.zone ?? systemZone()}`
    : `boot at ${localTime(new Date(due.start).toISOString())}`;
  const lastRun = job.last ? `its latest run started ${localTime(job.last.startedAt)}` : 'it has never run';
  return {
    problem: {
      job: job.job, kind: 'overdue', since: new Date(due.start).toISOString(), runId: null,
      message: `expected to start at ${when} (${due.entry.schedule}, from ${due.entry.source}) within ${formatDuration(due.grace)}; nothing started since: ${lastRun}`,
    },
    warnings,
  };
}
