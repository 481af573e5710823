// The store port: alerts, the outbox and metrics (src/store/store.ts gathers the whole port).
import type { RunStatus } from '../shared/types.ts';

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
