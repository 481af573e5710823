import type { RunStatus } from './types.ts';

/** The kinds of trouble sweep reports (SPEC §4). */
export type ProblemKind = 'stuck' | 'overrun' | 'overdue' | 'failing';

/** A problem in the JSON shape of SPEC §4. */
export interface Problem {
  job: string;
  kind: ProblemKind;
  since: string;
  runId: string | null;
  message: string;
}

/** A schedule a job is expected on, and where it was learned ("FILE:LINE", or "--schedule"). */
export interface ScheduleEntry {
  schedule: string;
  tz: string | null;
  /** 'exact': cronie's rule for a CRON_TZ line (each instant the time occurs: none in a DST gap, twice in a repeat). */
  dst?: 'exact';
  graceMs: number | null;
  source: string;
}

/** A crontab job as a sweep saw it: every line naming it (one job may run on several schedules). */
export interface CrontabSeen {
  name: string;
  schedules: ScheduleEntry[];
}

/** A run still recorded `running`, with what sweep needs to judge it. */
export interface RunningRun {
  id: string;
  job: string;
  startedAt: string;
  heartbeatAt: string;
  host: string;
  pid: number;
  pidStart: string | null;
  pgid: number | null;
  timeoutMs: number | null;
  killAfterMs: number;
  heartbeatMs: number;
  /** When its latest finished attempt ended (a retry may be waiting out its backoff since). */
  lastAttemptEndedAt: string | null;
}

/** The gist of one run: what the runs index holds, so reading it for every job touches no table row. */
export interface RunGist {
  id: string;
  /** The host that ran it (status shows it when jobs ran on several hosts). */
  host?: string;
  status: RunStatus;
  startedAt: string;
  durationMs: number | null;
}

/** A run with how it ended. */
export interface EndedRun extends RunGist {
  endedAt: string | null;
  exitCode: number | null;
  signal: string | null;
}

/** What the database knows about one job. */
export interface JobFacts {
  job: string;
  /** The --schedule its runs recorded. */
  recorded: ScheduleEntry | null;
  /** Its crontab lines as the latest sweep read them: they win over `recorded`. */
  crontab: ScheduleEntry[];
  /** When it was first seen: its first run, or the sweep that first found it in a crontab. */
  firstSeenAt: string | null;
  /** Its latest run, whatever its status. */
  last: RunGist | null;
  /** Its latest run that ended (neither running nor skipped). */
  lastFinished: RunGist | null;
  /** lastFinished with how it ended, when it did not succeed (sweep's `failing` says how); null otherwise. */
  failed: EndedRun | null;
  /** Finished runs without success since the latest success; `since`: when the first of them ended. */
  streak: { count: number; since: string | null };
}

/** A problem as sweep keeps it between sweeps. */
export interface OpenProblem extends Problem {
  /** Whether a sweep printed it as new: until then it is news, whichever sweep reports it. */
  reported: boolean;
  /** When a sweep found it gone, while that resolution is not printed yet; null while it is open. */
  resolvedAt: string | null;
}

/** A problem's identity: one per job and kind. */
export type ProblemKey = Pick<Problem, 'job' | 'kind'>;

/** A problem's identity as one text: one per job and kind. */
export const problemKey = (p: { job: string; kind: string }): string => `${p.job}\0${p.kind}`;

/**
 * Everything a sweep judges: the runs and jobs read first, without a lock; the open problems and the sweep
 * log read again inside the short write transaction, so two sweeps never both open or close one problem.
 */
export interface SweepSnapshot {
  running: RunningRun[];
  jobs: JobFacts[];
  open: OpenProblem[];
  /** When earlier sweeps run by cron (not by hand) ran, the latest first. */
  sweeps: string[];
  /** The crontab warnings the previous sweep reported. */
  previousWarnings: string[];
}

/** A run a sweep gives up on: marked `lost`, ended at the sweep's time. */
export interface LostRun {
  runId: string;
  /** Null when its start is not a time that can be read. */
  durationMs: number | null;
  reason: string;
}

/** What a sweep writes back, in the transaction it read in. */
export interface SweepVerdict {
  lost: LostRun[];
  /** New problems, stored as not reported yet. */
  opened: Problem[];
  /** Problems gone that nobody was told of (or transient ones replaced): deleted. */
  closed: ProblemKey[];
  /** Reported problems found gone: kept, marked resolved, until the resolution is printed. */
  resolving: ProblemKey[];
  /** Problems back before their resolution was printed: open again. */
  reopened: ProblemKey[];
  /** A sweep run by a person: the watcher learns the usual interval from the others (cron's). */
  byHand?: boolean;
  /** For the sweep log: how many problems are current, how many were reported new and resolved. */
  counts: { current: number; reported: number; resolved: number };
  warnings: string[];
}

/** What a sweep knows of its predecessors: when the last one ran, the usual interval, and whether it is late. */
export interface WatcherNote {
  previousAt: string | null;
  usualMs: number | null;
  /**
   * The previous sweep is older than sweep's own crontab line allows (its next expected start after that
   * sweep, plus grace), or, without such a line, than twice the usual interval: cron, or the host, was not
   * running sweeps.
   */
  late: boolean;
  /** When sweep's own crontab line expected the next sweep after the previous one, and that line. */
  expected?: { at: string; schedule: string; source: string; graceMs: number };
}
