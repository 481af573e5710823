import type { FailureTail, PeriodFigures } from '../../store/store.ts';

/** One day of the report (local time), as its period in the store. */
export interface ReportDay {
  from: string;
  to: string;
  /** The local date, YYYY-MM-DD. */
  date: string;
}

/** A day's durations of one job: nearest-rank percentiles read from the store's buckets. */
export interface DayBand {
  runs: number;
  p50Ms: number;
  p95Ms: number;
  maxMs: number;
}

/** An open problem as sweep holds it. */
export interface OpenProblem {
  job: string;
  kind: string;
  since: string;
  message: string;
}

/** Everything the report shows of one job. */
export interface JobReport {
  job: string;
  schedule: string | null;
  tz: string | null;
  lastStatus: string | null;
  lastStartedAt: string | null;
  nextExpectedAt: string | null;
  failureStreak: number;
  /** Per day (the report's days, in order): its runs' figures, null for a day without runs. */
  days: Array<PeriodFigures | null>;
  /** Per day: its finished runs' durations, null for none. */
  bands: Array<DayBand | null>;
  lastDurationMs: number | null;
  problems: OpenProblem[];
  /** Its latest failures in the window, newest first, with their output tails. */
  failures: FailureTail[];
}

/**
 * One host's days (shown when the history holds several hosts): the jobs whose latest run was there, and
 * per day the sum of their figures (so a job that moved between hosts counts under its latest one).
 */
export interface HostReport {
  host: string;
  jobs: string[];
  days: Array<{ runs: number; failures: number; worst: string } | null>;
}

/** The whole report, as the store's aggregates gave it. */
export interface ReportModel {
  generatedAt: string;
  /** The zone the days are local to (the system's). */
  zone: string;
  lastSweepAt: string | null;
  days: ReportDay[];
  jobs: JobReport[];
  /** Null when every run was on one host. */
  hosts: HostReport[] | null;
}
