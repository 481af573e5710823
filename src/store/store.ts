import type { AttemptRecord, JobSchedule, ProcessIdentity, RunRecord, RunStatus } from '../shared/types.ts';
import type { CrontabSeen, JobFacts, SweepSnapshot, SweepVerdict } from '../sweep/model.ts';

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

/** Decides whether a recorded `running` run still has a live holder (overlap). */
export type HolderCheck = (run: { id: string; holder: ProcessIdentity; pgid: number | null }) => boolean;

/** The write side of a run's life: the wrapper's calls, in the order it makes them. */
export interface RunWriter {
  /** Records the run as `running` before its command starts. */
  begin(run: RunRecord, schedule: JobSchedule | null): Promise<void>;
  /**
   * Like begin, but only when no earlier `running` run of the same job has a live holder
   * (read and insert in one BEGIN IMMEDIATE); returns the id of a live holder instead.
   */
  beginExclusive(run: RunRecord, schedule: JobSchedule | null, isLive: HolderCheck): Promise<string | null>;
  /** Notes the process group the command runs in, for sweep. */
  setGroup(runId: string, pgid: number): Promise<void>;
  heartbeat(runId: string, at: string): Promise<void>;
  addAttempt(runId: string, attempt: AttemptRecord): Promise<void>;
  finish(runId: string, ending: RunEnding): Promise<void>;
  /** Writes a complete run (from the spool) unless a finished record of it exists; true when written. */
  ingest(run: RunRecord, schedule: JobSchedule | null): Promise<boolean>;
}

/** The read side used by forensics. */
export interface RunReader {
  /** Runs newest first, attempts without their output. */
  list(filter: RunFilter): Promise<RunRecord[]>;
  /** Runs whose id starts with the prefix, with every attempt's kept output; at most `limit`. */
  findByPrefix(prefix: string, limit: number): Promise<RunRecord[]>;
}

/** Sweep's side: its judgement of jobs and runs, its problem state and its own log (status reads it too). */
export interface SweepRepo {
  /**
   * One sweep: records the crontab jobs seen (first-seen times kept), reads everything there is to judge,
   * lets `decide` judge it, then writes the verdict and logs the sweep at `at`, all in one BEGIN IMMEDIATE
   * transaction, so two sweeps never both report the same news.
   */
  sweep<T extends SweepVerdict>(at: string, crontab: CrontabSeen[], decide: (snapshot: SweepSnapshot) => T): Promise<T>;
  /** Folds the WAL back into the database and truncates it, so it cannot grow without bound. */
  checkpoint(): Promise<void>;
  /** Every job known from runs or crontabs, with its facts. */
  jobs(): Promise<JobFacts[]>;
  /** When the latest sweep ran; null when none has. */
  lastSweepAt(): Promise<string | null>;
}

/** A cronguard database, whatever holds it. */
export interface Store {
  readonly path: string;
  readonly runs: RunWriter;
  readonly reads: RunReader;
  readonly sweep: SweepRepo;
  close(): void;
}
