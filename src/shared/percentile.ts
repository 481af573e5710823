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

/**
 * Moves the k-th smallest value (from 0) of `values` to index k, with none larger before it and none
 * smaller after it (Hoare's selection, pivot the median of three): linear on average, where a sort is not.
 */
function selectInPlace(values: Float64Array, k: number, from: number, to: number): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const a = values[lo] as number;
    const b = values[(lo + hi) >>> 1] as number;
    const c = values[hi] as number;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
    let i = lo;
    let j = hi;
    while (i <= j) {
      while ((values[i] as number) < pivot) i++;
      while ((values[j] as number) > pivot) j--;
      if (i <= j) {
        const swap = values[i] as number;
        values[i++] = values[j] as number;
        values[j--] = swap;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k] as number;
}

/**
 * durationSummary of values that may be reordered, by selection instead of a sort: stats ranks a
 * million durations per command, and sorting them cost more than reading them.
 */
export function durationSummaryInPlace(values: Float64Array): { p50Ms: number | null; p95Ms: number | null; maxMs: number | null } {
  const n = values.length;
  if (n === 0) return { p50Ms: null, p95Ms: null, maxMs: null };
  const rank = (p: number) => Math.min(Math.max(1, Math.ceil((p * n) / 100)), n) - 1;
  const p95 = selectInPlace(values, rank(95), 0, n - 1);
  const p50 = selectInPlace(values, rank(50), 0, rank(95));
  let max = p95;
  for (let i = rank(95) + 1; i < n; i++) if ((values[i] as number) > max) max = values[i] as number;
  return { p50Ms: p50, p95Ms: p95, maxMs: max };
}

/**
 * The summary of durations read back as listed (a JSON array from storage): only numbers count, as a
 * duration that is not one (a malformed row) is left out of the figures.
 */
export function durationSummaryOfListed(listed: readonly unknown[]): { p50Ms: number | null; p95Ms: number | null; maxMs: number | null } {
  const durations = new Float64Array(listed.length);
  let timed = 0;
  for (const d of listed) if (typeof d === 'number') durations[timed++] = d;
  return durationSummaryInPlace(durations.subarray(0, timed));
}
