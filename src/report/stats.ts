import type { ChalkInstance } from 'chalk';
import { durationText } from '../shared/local-time.ts';
import type { JobStats } from '../store/store.ts';
import { successRate } from './json.ts';
import { table } from './style.ts';

/**
 * "98.5%", coloured: green when every run succeeded, yellow from 90%, red below. Only all and none
 * are whole ("100%", "0%"); anything between keeps one decimal and never rounds to either.
 */
function rateText(s: JobStats, style: ChalkInstance): string {
  const rate = successRate(s);
  if (rate === null) return '-';
  const text = rate === 1 || rate === 0 ? `${rate * 100}%` : `${Math.min(99.9, Math.max(0.1, rate * 100)).toFixed(1)}%`;
  return rate === 1 ? style.green(text) : rate >= 0.9 ? style.yellow(text) : style.red(text);
}

/** "failed 3, timeout 1" (only the statuses that occurred), "-" when none did. */
function failuresText(s: JobStats, style: ChalkInstance): string {
  const parts = Object.entries(s.failures).filter(([, n]) => n > 0).map(([status, n]) => `${status} ${n}`);
  return parts.length ? style.red(parts.join(', ')) : '-';
}

/** A duration cell: "-" for none. */

/** The human stats: one line per job. */
export function statsTable(stats: readonly JobStats[], style: ChalkInstance): string {
  const rows = stats.map((s) => [
    s.job, String(s.runs), String(s.successes), rateText(s, style), failuresText(s, style), durationText(s.p50Ms), durationText(s.p95Ms), durationText(s.maxMs),
  ]);
  return table(['JOB', 'RUNS', 'OK', 'SUCCESS', 'FAILURES', 'P50', 'P95', 'MAX'], rows, style);
}
