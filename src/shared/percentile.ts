/**
 * The nearest-rank percentile of numbers sorted ascending: the smallest value with at least p% of the
 * values at or below it. It is always one of the values (no interpolation), null for none.
 */
export function percentile(sorted: ArrayLike<number>, p: number): number | null {
  if (sorted.length === 0) return null;
  // p·n / 100 in integers first: (0.95 · n) in floating point can land a hair above a whole rank.
  const rank = Math.max(1, Math.ceil((p * sorted.length) / 100));
  return sorted[Math.min(rank, sorted.length) - 1] as number;
}

/** p50, p95 and max of some durations, in any order. */
export function durationSummary(values: ArrayLike<number>): { p50Ms: number | null; p95Ms: number | null; maxMs: number | null } {
  const sorted = Float64Array.from(values).sort();
  return {
    p50Ms: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    maxMs: sorted.length ? (sorted[sorted.length - 1] as number) : null,
  };
}
