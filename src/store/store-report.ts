// The store port: what the pictures and the HTML report read (src/store/store.ts gathers the whole port).
import type { RunRecord, RunStatus } from '../shared/types.ts';
import type { DurationBucket } from '../shared/duration-buckets.ts';

/**
 * A job's latest runs as its status strip shows them, oldest first: a letter per run (shared/strip-letters.ts,
 * '?' for any other status) and each run's duration (null: none, or not a number), as many as the letters.
 */
export interface RunStrip {
  letters: string;
  durations: Array<number | null>;
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
  lastRuns(jobs: readonly string[], limit: number, host?: string): Promise<Map<string, RunStrip>>;
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
