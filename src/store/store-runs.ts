// The store port: a run's writes and reads, and pruning (src/store/store.ts gathers the whole port).
import type { AttemptRecord, JobSchedule, ProcessIdentity, RunRecord, RunStatus } from '../shared/types.ts';

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
  /**
   * The same runs for `history --json`: a run as its JSON text of SPEC §6 (exactly JSON.stringify(runJson(run)))
   * where the backend writes it and the run needs no warning about malformed values, else as its record.
   */
  eachJson(filter: RunFilter): AsyncIterable<string | RunRecord>;
  /** The same runs for `history --csv`: a run as its first CSV fields and the rest of its record's figures where the backend writes them and the run needs no warning, else as its record. */
  eachCsv(filter: RunFilter): AsyncIterable<CsvRun | RunRecord>;
  /** Runs whose id starts with the prefix, with every attempt's kept output; at most `limit`. */
  findByPrefix(prefix: string, limit: number): Promise<RunRecord[]>;
  /** Every job name recorded (by a run or otherwise), sorted. */
  jobNames(): Promise<string[]>;
  /** Per job, figures over its finished runs (not `running`, not `skipped`) started at or after `since`. */
  stats(filter: { job?: string; since?: string; host?: string }): Promise<JobStats[]>;
}

/** A run as `history --csv` writes it, the backend having written its first ten fields as csvRecord would. */
export interface CsvRun {
  /** id to pid, each field followed by its comma. */
  csvFields: string;
  attempts: number;
  /** Its attempts' output bytes added up in their order, as historyCsvRecord adds them. */
  outputBytes: number;
  /** Shared by the runs of the same stored command: never changed. */
  command: readonly string[];
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
