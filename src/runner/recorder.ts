import { describeError } from '../shared/errors.ts';
import type { AttemptRecord, JobSchedule, RunRecord } from '../shared/types.ts';
import type { RecordingStore } from '../store/open.ts';
import { spoolLine } from '../store/spool.ts';
import { retryWhileBusy } from '../store/busy.ts';
import type { HolderCheck, RunEnding, RunWriter, Store } from '../store/store.ts';

/**
 * Writes a run's record as it happens, and never lets the store's trouble reach the job: after the first
 * failure later writes are skipped, and the complete record goes to the spool (or, failing that, to stderr
 * as one JSON line) when the run ends. The failure is then told in one line that says where the record went. The runner writes only through these
 * methods. Writes are made one after another in the order they were asked for, so the process group is
 * on record before any heartbeat, attempt or ending, however long a backend takes.
 */
export class Recorder {
  private failure: string | null = null;
  /** The store once opened (the job does not wait for that: writes queue behind the opening). */
  private opening: RecordingStore | null = null;
  /** Settles once the store is opened, or could not be. */
  readonly opened: Promise<void>;
  /** How the store failed, for the one warning line: it could not be opened, or a write failed. */
  private failedTo: 'use' | 'write to' = 'use';
  private heartbeatWarned = false;
  /** The write in progress (or the last one): the next waits for it. */
  private queue: Promise<unknown> = Promise.resolve();
  private heartbeatPending = false;
  /** Set once waiting for a lock is no use any more (cronguard was interrupted before its command started). */
  private waitsStopped = false;
  private readonly wakeWaiters = new Set<() => void>();

  constructor(target: Promise<RecordingStore>, private readonly stderr: (text: string) => void) {
    this.opened = target.then((opened) => {
      this.opening = opened;
      this.failure = opened.failure;
    });
    this.queue = this.opened;
  }

  /** The opened store; only used after `opened` settled (every write and the finish queue behind it). */
  private get target(): RecordingStore {
    if (!this.opening) throw new Error('the store is not open yet');
    return this.opening;
  }

  /**
   * Gives up every wait for a lock at once, now and later: the record then goes to the spool. For a signal
   * that arrives before the command started, so cronguard exits promptly however long the lock is held.
   */
  stopWaiting(): void {
    this.waitsStopped = true;
    for (const wake of this.wakeWaiters) wake();
  }

  /** The run is over: calls made after it (notifications) may wait for locks the usual way again. */
  relax(): void {
    try {
      this.healthy?.quickLocks?.(false);
    } catch {
      // A store that cannot even take a setting is reported broken by whatever uses it next.
    }
  }

  /**
   * One store call, tried again after short timers while another writer holds the lock (retryWhileBusy),
   * until waits are stopped; then its error stands.
   */
  private async patiently<T>(call: (store: Store) => Promise<T>): Promise<T> {
    const store = this.healthy;
    if (!store) throw new Error('the database is not in use');
    const isBusy = (error: unknown) => store.isBusy?.(error) ?? false;
    try {
      return await retryWhileBusy(() => call(store), isBusy, () => this.waitsStopped, (ms) => this.wakeableWait(ms));
    } catch (error) {
      throw this.waitsStopped && isBusy(error) ? new Error('interrupted while waiting for the database lock') : error;
    }
  }

  /** Waits `ms`, or less when stopWaiting() is called meanwhile. */
  private wakeableWait(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => { clearTimeout(timer); this.wakeWaiters.delete(wake); resolve(); };
      const timer = setTimeout(wake, ms);
      this.wakeWaiters.add(wake);
    });
  }

  /** One `cronguard:` line on stderr. */
  private warn(message: string): void {
    this.stderr(`cronguard: ${message}\n`);
  }

  /** The store while it works, else null (notifications use it after the run). */
  get healthy(): Store | null {
    return this.failure || !this.opening ? null : this.opening.store;
  }

  /** Whether writes still reach the store. */
  get working(): boolean {
    return this.healthy !== null;
  }

  /** Queues one write; the first failure turns the store off for this run. Resolves to undefined when skipped or failed. */
  private write<T>(action: (runs: RunWriter) => Promise<T>): Promise<T | undefined> {
    const next = this.queue.then(async () => {
      if (!this.healthy) return undefined;
      try {
        return await this.patiently((store) => action(store.runs));
      } catch (error) {
        this.failure = describeError(error);
        this.failedTo = 'write to';
        return undefined;
      }
    });
    this.queue = next;
    return next;
  }

  begin(run: RunRecord, schedule: JobSchedule | null): Promise<void> {
    return this.write((runs) => runs.begin(run, schedule)).then(() => {});
  }

  /** Records the run unless a live earlier run holds the job: that run's id; null when recorded (or the store failed: see `working`). */
  async beginExclusive(run: RunRecord, schedule: JobSchedule | null, isLive: HolderCheck): Promise<string | null> {
    return (await this.write((runs) => runs.beginExclusive(run, schedule, isLive))) ?? null;
  }

  /** Notes the command's process group: queued before anything else the run writes later. */
  setGroup(runId: string, pgid: number): Promise<void> {
    return this.write((runs) => runs.setGroup(runId, pgid)).then(() => {});
  }

  /**
   * A heartbeat that fails (a lock held past the busy timeout) is only skipped: turning the store off
   * for the rest of a long run would leave sweep to call a healthy job stuck. One still waiting makes the
   * next one unnecessary.
   */
  async heartbeat(runId: string, at: string): Promise<void> {
    if (this.heartbeatPending || !this.healthy) return;
    this.heartbeatPending = true;
    const next = this.queue.then(async () => {
      if (!this.healthy) return;
      try {
        await this.patiently((store) => store.runs.heartbeat(runId, at));
      } catch (error) {
        if (!this.heartbeatWarned) this.warn(`could not write a heartbeat to ${this.target.describe()}: ${describeError(error)}; will try again`);
        this.heartbeatWarned = true;
      }
    }).finally(() => { this.heartbeatPending = false; });
    this.queue = next;
    await next;
  }

  addAttempt(runId: string, attempt: AttemptRecord): Promise<void> {
    return this.write((runs) => runs.addAttempt(runId, attempt)).then(() => {});
  }

  /** Closes the run in the store, or spools the whole record when the store failed at any point. */
  async finish(run: RunRecord, ending: RunEnding, schedule: JobSchedule | null, lastAttempt: AttemptRecord | null = null): Promise<void> {
    await this.queue;
    // A record written into a file deleted or replaced mid-run would be read by nobody: it is spooled.
    const moved = this.failure ? null : this.target.moved();
    if (moved) {
      this.failure = moved;
      this.failedTo = 'write to';
    }
    await this.write((runs) => runs.finish(run.id, ending, lastAttempt));
    if (!this.failure) return;
    const entry = { run, schedule };
    const trouble = `cannot ${this.failedTo} the database ${this.target.describe()}: ${this.failure}`;
    try {
      this.target.spool(entry);
      this.warn(`${trouble}; the job ran anyway and its record is spooled beside the database`);
    } catch (error) {
      this.warn(`${trouble}, nor spool the record beside it (${describeError(error)}); the job ran anyway and its record follows as one JSON line`);
      this.stderr(spoolLine(entry));
    }
  }
}
