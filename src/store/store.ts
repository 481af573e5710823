export type * from './store-runs.ts';
export type * from './store-sweep.ts';
export type * from './store-alerts.ts';
export type * from './store-report.ts';
import type { RunWriter, RunReader, RunPruner } from './store-runs.ts';
import type { SweepRepo } from './store-sweep.ts';
import type { AlertStore, MetricsReader } from './store-alerts.ts';
import type { ReportReader } from './store-report.ts';

/**
 * A cronguard history, whatever holds it: nothing here may assume a file. Opened only by openStore
 * (src/store/open.ts); every backend passes the contract kit in test/contract/.
 */
export interface Store {
  /** The store as messages name it (a file path, a URL without its password). */
  describe(): string;
  /** Housekeeping the backend needs now and then (SQLite: the day summaries stats reads, the log's growth); sweep calls it after each sweep. */
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
