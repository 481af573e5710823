import type { AttemptRecord, JobSchedule, ProcessIdentity, RunRecord, RunStatus } from '../shared/types.ts';
import type { CrontabSeen, JobFacts, ProblemKey, SweepSnapshot, SweepVerdict } from '../shared/sweep-model.ts';
import type { DurationBucket } from '../shared/duration-buckets.ts';

/** How a finished run ended: the fields the run row gets when it closes. */
export interface RunEnding {
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  endedAt: string;
  durationMs: number;
  reason: string | null;
}

/** Which runs a listing wants; every field narrows. */
export interface RunFilter {
  job?: string;
  statuses?: RunStatus[];
  since?: string;
  until?: string;
  host?: string;
  limit?: number;
}

/** A recorded `running` run as overlap protection sees it: the job's current lease holder. */
export interface LeaseHolder {
  id: string;
  holder: ProcessIdentity;
  pgid: number | null;
  heartbeatAt: string;
  heartbeatMs: number;
}

/** The run that claimed a scheduled start first (--once); or, with an overlap check, an earlier run still holding the job. */
export interface OnceWinner {
  runId: string;
  host: string;
  /** An earlier run of the job is still running (--overlap skip|wait): the start is not claimed by anyone yet. */
  stillRunning?: boolean;
}

/** Decides whether a recorded `running` run still has a live holder (overlap). */
export type HolderCheck = (run: LeaseHolder) => boolean;

/** The write side of a run's life: the wrapper's calls, in the order it makes them. */
export interface RunWriter {
  /** Records the run as `running` before its command starts. */
  begin(run: RunRecord, schedule: JobSchedule | null): Promise<void>;
  /**
   * Like begin, but only when no earlier `running` run of the same job has a live holder
   * (read and insert in one BEGIN IMMEDIATE); returns the id of a live holder instead.
   */
  beginExclusive(run: RunRecord, schedule: JobSchedule | null, isLive: HolderCheck): Promise<string | null>;
  /**
   * --once: like begin, but only when no run of the job (on any host sharing the store) has claimed this
   * scheduled start; the claim is one unique key on (job, scheduled start). Returns the winner otherwise.
   * With `isLive` (--once with --overlap skip|wait), in the same transaction and after the claim is found
   * free: only when no earlier `running` run of the job has a live holder, else that run (`stillRunning`).
   */
  claimOnce(run: RunRecord, schedule: JobSchedule | null, scheduledAt: string, isLive?: HolderCheck): Promise<OnceWinner | null>;
  /** Notes the process group the command runs in, for sweep. */
  setGroup(runId: string, pgid: number): Promise<void>;
  heartbeat(runId: string, at: string): Promise<void>;
  addAttempt(runId: string, attempt: AttemptRecord): Promise<void>;
  /** Closes the run, together with its last attempt when that is not recorded yet: one transaction, not two. */
  finish(runId: string, ending: RunEnding, lastAttempt?: AttemptRecord | null): Promise<void>;
  /** Writes a complete run (from the spool) unless a finished record of it exists; true when written. */
  ingest(run: RunRecord, schedule: JobSchedule | null): Promise<boolean>;
}

/** The read side used by forensics. */
export interface RunReader {
  /** Runs newest first (by start, then id), attempts without their output. */
  list(filter: RunFilter): Promise<RunRecord[]>;
  /**
   * The same runs one at a time, for listings too long to hold (history --limit 0 over a million runs):
   * memory stays flat whatever the count. Stopping early (break) ends the read.
   */
  each(filter: RunFilter): AsyncIterable<RunRecord>;
  /** Runs whose id starts with the prefix, with every attempt's kept output; at most `limit`. */
  findByPrefix(prefix: string, limit: number): Promise<RunRecord[]>;
  /** Every job name recorded (by a run or otherwise), sorted. */
  jobNames(): Promise<string[]>;
  /** Per job, figures over its finished runs (not `running`, not `skipped`) started at or after `since`. */
  stats(filter: { job?: string; since?: string; host?: string }): Promise<JobStats[]>;
}

/** One job's figures, as `cronguard stats` shows them. */
export interface JobStats {
  job: string;
  runs: number;
  successes: number;
  /** Runs by failed status: every one of FAILURE_STATUSES, zeros included. */
  failures: Record<string, number>;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** How many finished runs (and their attempts and output bytes) a prune removes or would remove. */
export interface PruneCount {
  runs: number;
  attempts: number;
  outputBytes: number;
}

/** Deletes old finished runs; never a `running` one. */
export interface RunPruner {
  /** What `remove(cutoff)` would delete: finished runs that ended before the cutoff. */
  count(cutoff: string): Promise<PruneCount>;
  /** Deletes them with their attempts, in short transactions so running jobs can write in between. */
  remove(cutoff: string): Promise<PruneCount>;
  /** Rebuilds the storage to give the room freed by `remove` back to the system. */
  vacuum(): Promise<void>;
  /** How many bytes the history takes where it is kept, as `prune --vacuum` reports it; null when unknown. */
  sizeBytes(): Promise<number | null>;
  /**
   * Forgets a job (`cronguard forget`): its runs with their attempts, its open problems and what sweep learned
   * of it (its crontab lines, its recorded --schedule), in short transactions. Nothing is removed while the
   * job has a `running` run: `running` names it then. With `dryRun` only counts.
   */
  forget(job: string, dryRun: boolean): Promise<ForgetCount>;
}

/** What forgetting a job removes, or would remove. */
export interface ForgetCount extends PruneCount {
  /** Open problems of the job. */
  problems: number;
  /** Whether sweep knew the job from a crontab line. */
  crontab: boolean;
  /** Whether its runs recorded it (its name, and its --schedule when given). */
  recorded: boolean;
  /** A `running` run of the job, which keeps it from being forgotten. */
  running: string | null;
}

/** Sweep's side: its judgement of jobs and runs, its problem state and its own log (status reads it too). */
export interface SweepRepo {
  /**
   * One sweep: reads everything there is to judge (no lock held) and lets `decide` judge it; then, in one
   * short BEGIN IMMEDIATE transaction, re-reads what is running, the open problems and the sweep log, judges
   * again only if they changed meanwhile, records the crontab jobs seen (first-seen times kept), writes the
   * verdict and logs the sweep at `at`, so two sweeps never both report the same news.
   */
  sweep<T extends SweepVerdict>(at: string, crontab: CrontabSeen[], decide: (snapshot: SweepSnapshot) => T): Promise<T>;
  /**
   * Called once the sweep's report is out (printed, flushed): its new problems count as told, its printed
   * resolutions are forgotten. Until then they stay news for the next sweep: a sweep that dies between
   * deciding and printing loses no alarm (at worst two sweeps at once both print it).
   */
  markReported(at: string, news: { reported: ProblemKey[]; resolved: ProblemKey[] }): Promise<void>;
  /**
   * What `sweep` would decide now, reading the same snapshot and writing nothing (sweep --all, --dry-run).
   * With a host (sweep --host), that host's part only: its running runs, and the jobs it ran or that its
   * crontab holds, judged by its runs and by its crontab lines alone (on PostgreSQL the lines its own
   * sweeps recorded, or `crontab` for this host; on SQLite, which keeps no host per line, `crontab`); no
   * sweep log (the watcher and the warnings are the sweeping host's own).
   */
  look<T extends SweepVerdict>(at: string, crontab: CrontabSeen[], decide: (snapshot: SweepSnapshot) => T, host?: string): Promise<T>;
  /** Every job known from runs or crontabs, with its facts; with a host, only jobs that host ran, judged by its runs. */
  jobs(host?: string): Promise<JobFacts[]>;
  /** When the latest sweep ran; null when none has. */
  lastSweepAt(): Promise<string | null>;
}

/**
 * A cronguard history, whatever holds it: nothing here may assume a file. Opened only by openStore
 * (src/store/open.ts); every backend passes the contract kit in test/contract/.
 */
export interface Store {
  /** The store as messages name it (a file path, a URL without its password). */
  describe(): string;
  /** Housekeeping the backend needs now and then so it cannot grow without bound; sweep calls it after each sweep. */
  maintain(): Promise<void>;
  readonly runs: RunWriter;
  readonly reads: RunReader;
  readonly prune: RunPruner;
  readonly alerts: AlertStore;
  readonly metrics: MetricsReader;
  readonly sweep: SweepRepo;
  readonly report: ReportReader;
  /**
   * While a run starts and runs, no call may hold the wrapper's event loop waiting for another writer's
   * lock (its timers and signals must keep their time): with `on`, a call that meets a lock fails within a
   * few milliseconds, with an error `isBusy` recognises, for the caller to try again after a timer; off
   * restores the patient wait of several seconds. A backend whose calls never block need not have it.
   */
  quickLocks?(on: boolean): void;
  /** Whether an error is only another writer's lock (worth trying again), not a broken store. */
  isBusy?(error: unknown): boolean;
  close(): void;
}

/**
 * A notification to queue: one event (as JSON text) for one channel, named by its fingerprint only: a
 * row never says what to run or where to send (SPEC §9).
 */
export interface NewOutboxItem {
  eventId: string;
  eventType: string;
  job: string | null;
  channelFp: string;
  payload: string;
  /** For sweep's problem and resolved events: the change to what the channel heard; queued only if it still applies. */
  heard?: HeardChange;
}

/**
 * A sweep problem one channel was told of (its `problem` notification queued), with the facts it was told.
 * `since` tells one appearance of a problem from the next. Data only: it never says where to send.
 */
export interface HeardProblem {
  channelFp: string;
  job: string;
  kind: string;
  since: string;
  runId: string | null;
  message: string;
}

/**
 * `hear`: the channel hears of the problem now (queued unless it already heard of this appearance);
 * `forget`: it hears of its resolution (queued only while it still holds that appearance as heard). Two
 * sweeps deciding the same news at once thus queue it once.
 */
export interface HeardChange {
  op: 'hear' | 'forget';
  problem: HeardProblem;
}

/** A queued notification as a delivering process claimed it. */
export interface OutboxItem extends NewOutboxItem {
  id: number;
  attempts: number;
  createdAt: string;
}

/** How a failed delivery is written back: when to try again, or that it is given up (dead). */
export interface DeliveryFailure {
  error: string;
  nextAt: string;
  deadAt: string | null;
}

/** The alerts' side of the store: failure streaks and the notification outbox. */
export interface AlertStore {
  /** Consecutive failed runs of `job` that started before the given run, back to its last success. */
  failuresBefore(job: string, runId: string, startedAt: string): Promise<number>;
  /**
   * Queues notifications in one transaction; returns the ids of those queued. An item with a `heard` change
   * is queued only when that change applies (the channel's heard problems are updated with it).
   */
  enqueue(items: NewOutboxItem[], at: string): Promise<number[]>;
  /** The sweep problems the given channels (fingerprints) heard of and have not heard resolved. */
  heard(channelFps: readonly string[]): Promise<HeardProblem[]>;
  /**
   * Claims up to `limit` due notifications of the given channels (fingerprints) for this process (BEGIN
   * IMMEDIATE, so no two processes claim the same row), oldest first, skipping a channel while an older
   * row of it waits. Rows of other channels are never returned: only their own channel delivers them.
   */
  claim(now: string, until: string, token: string, limit: number, channelFps: readonly string[]): Promise<OutboxItem[]>;
  /** Marks a claimed row delivered; false when the claim was lost (another process took it over). */
  markDelivered(id: number, token: string, at: string): Promise<boolean>;
  markFailed(id: number, token: string, failure: DeliveryFailure): Promise<void>;
  /** Gives claimed rows back untried. */
  release(ids: number[], token: string): Promise<void>;
  /** Deletes delivered rows older than `before`; returns how many. */
  purgeDelivered(before: string): Promise<number>;
}

/** One job's figures for `cronguard metrics`. */
export interface JobMetrics {
  job: string;
  runs: number;
  failures: number;
  lastStartedAt: string | null;
  lastSuccessAt: string | null;
  lastStatus: RunStatus | null;
  lastDurationMs: number | null;
  failureStreak: number;
}

/** What `cronguard metrics` reads. */
export interface MetricsReader {
  /** Every job's figures; with a host, only that host's runs count (and only jobs it ran). */
  jobs(host?: string): Promise<JobMetrics[]>;
  /** The problems sweep holds open. */
  problems(): Promise<Array<{ job: string; kind: string }>>;
  outbox(): Promise<{ queued: number; dead: number }>;
}

/** A run as a strip of recent runs shows it. */
export interface RunDot {
  status: RunStatus;
  durationMs: number | null;
}

/**
 * Consecutive half-open time ranges [from, to) that figures are grouped by (the report's days), as ISO
 * times ascending; a figure names its period by index.
 */
export type Periods = ReadonlyArray<{ from: string; to: string }>;

/** One job's runs started in one period. */
export interface PeriodFigures {
  job: string;
  period: number;
  runs: number;
  /** The most alarming status among them (shared/outcome.ts SEVERITY). */
  worst: RunStatus;
  /** Runs that failed, errored or were lost (timeouts and kills are counted apart). */
  failures: number;
  timeouts: number;
  killed: number;
  /** Over its finished runs (not running, not skipped): nearest-rank p50 and p95, and the longest; null for none. */
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** One bucket of one job's finished durations in one period (shared/duration-buckets.ts). */
export interface PeriodBucket extends DurationBucket {
  job: string;
  period: number;
}

/** A failed run with the tail of its last attempt's kept output. */
export interface FailureTail extends Pick<RunRecord, 'id' | 'job' | 'status' | 'exitCode' | 'signal' | 'startedAt' | 'durationMs' | 'host' | 'reason'> {
  /** The last `tailBytes` of the last attempt's kept output, as stored (any bytes). */
  tail: Uint8Array;
  /** All the bytes the last attempt wrote, kept or not. */
  outputBytes: number;
}

/**
 * Aggregates for pictures (status strips, stats histograms, the HTML report), computed by the store so
 * that no caller reads every run: each answer is small whatever the history holds.
 */
export interface ReportReader {
  /** Each named job's latest `limit` runs, oldest first; with a host, only that host's runs (status --host). */
  lastRuns(jobs: readonly string[], limit: number, host?: string): Promise<Map<string, RunDot[]>>;
  /** Per job and period: counts, the worst status and the durations of the runs started in it (no row for none); with a host, only its runs. */
  periods(periods: Periods, job?: string, host?: string): Promise<PeriodFigures[]>;
  /** Per job and period: finished runs' durations in logarithmic buckets (no row for none); with a host, only its runs (stats --host). */
  durationBuckets(periods: Periods, job?: string, host?: string): Promise<PeriodBucket[]>;
  /** Each job's latest `perJob` failed runs started at or after `since`, newest first. */
  recentFailures(since: string, perJob: number, tailBytes: number): Promise<FailureTail[]>;
  /** The problems sweep holds open, by job and kind. */
  openProblems(): Promise<Array<{ job: string; kind: string; since: string; message: string }>>;
  /** Each job with runs, and the host of its latest run. */
  latestHosts(): Promise<Array<{ job: string; host: string }>>;
}
