import type { JobStats } from '../store/store.ts';

/** Successes per finished run, 0 to 1, four decimals; null when there were none. */
export function successRate(s: Pick<JobStats, 'runs' | 'successes'>): number | null {
  return s.runs === 0 ? null : Math.round((s.successes / s.runs) * 10_000) / 10_000;
}

/** One job's stats in the stable JSON shape of SPEC §6. */
export function statsJson(s: JobStats): Record<string, unknown> {
  return {
    job: s.job, runs: s.runs, successes: s.successes, failures: s.failures,
    successRate: successRate(s), p50Ms: s.p50Ms, p95Ms: s.p95Ms, maxMs: s.maxMs,
  };
}
