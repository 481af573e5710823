/** What became of a run or of one attempt (SPEC §3). */
export type RunStatus = 'running' | 'success' | 'failed' | 'timeout' | 'killed' | 'error' | 'skipped' | 'lost';

export const RUN_STATUSES: readonly RunStatus[] = [
  'running', 'success', 'failed', 'timeout', 'killed', 'error', 'skipped', 'lost',
];

/** Which process is which: host, pid and start time (clock ticks since boot, from /proc/PID/stat). */
export interface ProcessIdentity {
  host: string;
  pid: number;
  startTicks: string | null;
}

/** One attempt of a run, as recorded. `output` holds the kept bytes when they were loaded. */
export interface AttemptRecord {
  n: number;
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number | null;
  outputBytes: number;
  reason: string | null;
  output?: Buffer;
}

/** The job's declared schedule, as given with --schedule on its run line. */
export interface JobSchedule {
  schedule: string;
  tz: string | null;
  graceMs: number;
}

/** A run as recorded: SPEC §6 fields plus what sweep needs to judge it. */
export interface RunRecord {
  id: string;
  job: string;
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  startedAt: string;
  heartbeatAt: string;
  endedAt: string | null;
  durationMs: number | null;
  host: string;
  pid: number;
  pidStart: string | null;
  pgid: number | null;
  command: string[];
  timeoutMs: number | null;
  killAfterMs: number;
  heartbeatMs: number;
  reason: string | null;
  attempts: AttemptRecord[];
}

/** The statuses of a finished run that count as a failure (streaks, alerts, metrics); skipped is neither. */
export const FAILURE_STATUSES: readonly RunStatus[] = ['failed', 'timeout', 'killed', 'error', 'lost'];

/** The one failure predicate: whether a run (or attempt) with this status failed. */
export function isFailure(status: RunStatus): boolean {
  return FAILURE_STATUSES.includes(status);
}

/** Whether a run with this status has ended (a skipped run never started, so it is not counted either). */
export function isFinished(status: RunStatus): boolean {
  return status !== 'running' && status !== 'skipped';
}

/** Which failures --retry-on retries: exit codes and/or timeouts. */
export interface RetryOn {
  codes: ReadonlySet<number>;
  timeout: boolean;
}

/** What --overlap does while an earlier run of the job is alive. */
export const OVERLAP_MODES = ['allow', 'skip', 'wait'] as const;
/** The crons whose crontab rules sweep knows (sweep --cron). */
export const CRON_FLAVOURS = ['cronie', 'debian'] as const;
export type CronFlavour = (typeof CRON_FLAVOURS)[number];
export type OverlapMode = (typeof OVERLAP_MODES)[number];

/** The bodies --notify-format can give a --notify-url POST. */
export const NOTIFY_FORMATS = ['json', 'slack'] as const;
export type NotifyFormat = (typeof NOTIFY_FORMATS)[number];
