/**
 * Durations bucketed on a logarithmic scale, so the store can hand out percentiles of a million runs as a
 * few hundred counts (SQL: GROUP BY the bucket) instead of every duration. Bucket b holds the durations d
 * with floor(ln(d + 1) · BUCKETS_PER_E) = b: neighbouring bucket bounds differ by about 3%, which is the
 * precision of a percentile read from them.
 */
export const BUCKETS_PER_E = 32;

/** One bucket of durations as the store counts them. */
export interface DurationBucket {
  bucket: number;
  runs: number;
  /** The longest duration in the bucket: a percentile read here is never below the true one, and within ~3%. */
  maxMs: number;
}

/** The bucket a duration falls in (as the store's SQL computes it). */
export function bucketOf(ms: number): number {
  return Math.floor(Math.log(ms + 1) * BUCKETS_PER_E);
}

/** The nearest-rank percentile of bucketed durations (any order), as its bucket's longest duration; null for none. */
export function bucketPercentile(buckets: readonly DurationBucket[], p: number): number | null {
  const sorted = [...buckets].sort((a, b) => a.bucket - b.bucket);
  const total = sorted.reduce((sum, b) => sum + b.runs, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil((p * total) / 100));
  let seen = 0;
  for (const b of sorted) {
    seen += b.runs;
    if (seen >= rank) return b.maxMs;
  }
  return sorted[sorted.length - 1]?.maxMs ?? null;
}

/** Buckets of the same index added together (several days into one job's whole window). */
export function mergeBuckets(lists: Iterable<readonly DurationBucket[]>): DurationBucket[] {
  const byIndex = new Map<number, DurationBucket>();
  for (const list of lists) {
    for (const b of list) {
      const seen = byIndex.get(b.bucket);
      if (seen) { seen.runs += b.runs; seen.maxMs = Math.max(seen.maxMs, b.maxMs); }
      else byIndex.set(b.bucket, { ...b });
    }
  }
  return [...byIndex.values()].sort((a, b) => a.bucket - b.bucket);
}
