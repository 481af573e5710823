import { describeError } from '../shared/errors.ts';
import type { AttemptRecord, JobSchedule, RunRecord } from '../shared/types.ts';
import { appendToSpool, spoolLine } from '../store/spool.ts';
import type { RunEnding, Store } from '../store/store.ts';

/**
 * Writes a run's record as it happens, and never lets the database's trouble reach the job: the first
 * failure is reported once on stderr, later writes are skipped, and the complete record goes to the spool
 * (or, failing that, to stderr as one JSON line) when the run ends.
 */
export class Recorder {
  private failure: string | null;
  private heartbeatWarned = false;

  constructor(
    private readonly store: Store | null,
    private readonly dbPath: string,
    private readonly spool: string,
    private readonly stderr: (text: string) => void,
    openFailure: string | null = null,
  ) {
    this.failure = openFailure;
    if (openFailure) this.warn(`cannot use the database ${dbPath}: ${openFailure}; the job runs anyway and its record is spooled`);
  }

  /** One `cronguard:` line on stderr. */
  private warn(message: string): void {
    this.stderr(`cronguard: ${message}\n`);
  }

  /** Why the store is off, once it is. */
  get failureText(): string | null {
    return this.failure;
  }

  /** The store while it works, else null. */
  get healthy(): Store | null {
    return this.failure ? null : this.store;
  }

  /** Runs one write against the store; the first failure turns the store off for this run. */
  async write(action: (store: Store) => Promise<unknown>): Promise<void> {
    const store = this.healthy;
    if (!store) return;
    try {
      await action(store);
    } catch (error) {
      this.failure = describeError(error);
      this.warn(`cannot write to the database ${this.dbPath}: ${this.failure}; the job runs anyway and its record is spooled`);
    }
  }

  begin(run: RunRecord, schedule: JobSchedule | null): Promise<void> {
    return this.write((s) => s.runs.begin(run, schedule));
  }

  /**
   * A heartbeat that fails (a lock held past the busy timeout) is only skipped: turning the store off
   * for the rest of a long run would leave sweep to call a healthy job stuck.
   */
  async heartbeat(runId: string, at: string): Promise<void> {
    const store = this.healthy;
    if (!store) return;
    try {
      await store.runs.heartbeat(runId, at);
    } catch (error) {
      if (!this.heartbeatWarned) this.warn(`could not write a heartbeat to ${this.dbPath}: ${describeError(error)}; will try again`);
      this.heartbeatWarned = true;
    }
  }

  attempt(runId: string, attempt: AttemptRecord): Promise<void> {
    return this.write((s) => s.runs.addAttempt(runId, attempt));
  }

  /** Closes the run in the store, or spools the whole record when the store failed at any point. */
  async finish(run: RunRecord, ending: RunEnding, schedule: JobSchedule | null, lastAttempt: AttemptRecord | null = null): Promise<void> {
    await this.write((s) => s.runs.finish(run.id, ending, lastAttempt));
    if (!this.failure) return;
    const entry = { run, schedule };
    try {
      appendToSpool(this.spool, entry);
    } catch (error) {
      this.warn(`cannot spool the record beside ${this.dbPath} either (${describeError(error)}); here it is:`);
      this.stderr(spoolLine(entry));
    }
  }
}
