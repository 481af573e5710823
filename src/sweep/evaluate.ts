import { outcomeText } from '../shared/outcome.ts';
import { localTime } from '../shared/local-time.ts';
import { firstValidTime, storedMs } from '../shared/stored.ts';
import type { JobFacts, LostRun, Problem, RunningRun, ScheduleEntry, SweepSnapshot, SweepVerdict } from '../shared/sweep-model.ts';
import { judgeOverdue, nextSweepExpected, ScheduleCache } from './overdue.ts';
import { shortId } from '../shared/run-id.ts';
import { type Finding, judgeRunning, type Liveness } from './running.ts';
import type { WatcherNote } from '../shared/sweep-model.ts';
import { type Reconciled, reconcile, watchTheWatcher } from './state.ts';

/** What a sweep is told besides the database: the time, its limits, the host's boot and its processes. */
export interface SweepOptions {
  at: number;
  staleMs: number | null;
  maxRuntimeMs: number | null;
  bootMs: number | null;
  liveness: Liveness;
  /** What reading the crontabs had to say (malformed lines). */
  crontabWarnings: readonly string[];
  /** Run by a person (a terminal): logged as such, never judged late, and not part of the usual interval. */
  byHand: boolean;
  /** The crontab lines that run sweep on this database: the watcher expects sweeps on their schedule. */
  sweepLines?: readonly ScheduleEntry[];
}

/** A sweep's full outcome: the verdict it writes, and what it reports. */
export interface SweepOutcome extends SweepVerdict, Reconciled {
  watcher: WatcherNote;
  /** Warnings the previous sweep did not already report. */
  newWarnings: string[];
}

/** Judges a snapshot: pure, given the clock, the limits and the liveness checks in `options`. */
export function decideSweep(snapshot: SweepSnapshot, options: SweepOptions): SweepOutcome {
  const { at } = options;
  const running = judgeRunning(snapshot.running, at, options, options.liveness);
  const findings: Finding[] = [...running.findings];
  const warnings = [...options.crontabWarnings, ...malformedRows(snapshot)];
  const cache = new ScheduleCache();
  const lostByJob = lostRunsByJob(snapshot.running, running.lost);
  for (const job of snapshot.jobs) {
    const overdue = judgeOverdue(job, at, options.bootMs, cache);
    warnings.push(...overdue.warnings);
    if (overdue.problem) findings.push(overdue.problem);
    const failing = judgeFailing(job, lostByJob.get(job.job) ?? null, at);
    if (failing) findings.push(failing);
  }
  const reconciled = reconcile(findings, snapshot.open);
  const seen = new Set(snapshot.previousWarnings);
  // snapshot.sweeps holds only the sweeps cron ran (no terminal): the line's next start after the latest.
  const expected = nextSweepExpected(options.sweepLines ?? [], snapshot.sweeps[0] ?? null, options.bootMs, cache);
  const watcher = watchTheWatcher(snapshot.sweeps, at, expected);
  return {
    ...reconciled,
    lost: running.lost,
    counts: { current: reconciled.current.length, reported: reconciled.reported.length, resolved: reconciled.resolved.length },
    warnings,
    newWarnings: warnings.filter((w) => !seen.has(w)),
    watcher: options.byHand ? { ...watcher, late: false } : watcher,
    byHand: options.byHand,
  };
}

/** Warnings naming the runs whose stored times this sweep could not read: it judged around them. */
function malformedRows(snapshot: SweepSnapshot): string[] {
  type Stored = { id: string; job: string; field: string; value: string | null };
  const times: Stored[] = [
    ...snapshot.running.flatMap((r) => [
      { id: r.id, job: r.job, field: 'started_at', value: r.startedAt }, { id: r.id, job: r.job, field: 'heartbeat_at', value: r.heartbeatAt }]),
    ...snapshot.jobs.flatMap((j) => [
      ...(j.last && j.last.status !== 'running' ? [{ id: j.last.id, job: j.job, field: 'started_at', value: j.last.startedAt }] : []),
      ...(j.failed?.endedAt != null ? [{ id: j.failed.id, job: j.job, field: 'ended_at', value: j.failed.endedAt }] : []),
    ]),
  ];
  return times.filter((t) => storedMs(t.value) === null).map((t) =>
    `run ${shortId(t.id)} (job ${JSON.stringify(t.job)}): ${t.field} ${JSON.stringify(t.value)} is not a valid time; judged without it`);
}

/** The latest run of each job this sweep marks lost. */
function lostRunsByJob(runs: readonly RunningRun[], lost: readonly LostRun[]): Map<string, RunningRun> {
  const ids = new Set(lost.map((l) => l.runId));
  const byJob = new Map<string, RunningRun>();
  for (const run of runs) {
    const seen = byJob.get(run.job);
    if (ids.has(run.id) && (!seen || run.startedAt > seen.startedAt)) byJob.set(run.job, run);
  }
  return byJob;
}

/** A job whose latest finished run did not succeed; a run marked lost right now counts as its latest. */
function judgeFailing(job: JobFacts, justLost: RunningRun | null, at: number): Problem | null {
  const atIso = new Date(at).toISOString();
  if (justLost && (!job.lastFinished || justLost.startedAt >= job.lastFinished.startedAt)) {
    const earlier = job.lastFinished && job.lastFinished.status !== 'success' ? job.streak : { count: 0, since: null };
    return {
      job: job.job, kind: 'failing', since: firstValidTime(earlier.since) ?? atIso, runId: justLost.id,
      message: `latest run ${shortId(justLost.id)} was lost (marked by this sweep)${streakText(earlier.count + 1)}`,
    };
  }
  const last = job.failed;
  if (!last) return null;
  return {
    job: job.job, kind: 'failing', since: firstValidTime(job.streak.since, last.endedAt, last.startedAt) ?? atIso, runId: last.id,
    message: `latest run ${shortId(last.id)} ended ${outcomeText(last)} at ${localTime(last.endedAt)}${streakText(job.streak.count)}`,
  };
}

/** "; 3 runs in a row without success" for a streak longer than one. */
function streakText(count: number): string {
  return count > 1 ? `; ${count} runs in a row without success` : '';
}
