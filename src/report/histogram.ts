import { BUCKETS_PER_E, bucketOf, bucketPercentile, type DurationBucket } from '../shared/duration-buckets.ts';
import { formatDuration } from '../shared/duration.ts';

/** At most this many bars: enough to see the shape, few enough to read. */
const MAX_BARS = 12;
const EIGHTHS = ' ▏▎▍▌▋▊▉';

/** The shortest duration of fine bucket b (the inverse of bucketOf). */
const lowerMs = (b: number): number => Math.max(0, Math.ceil(Math.exp(b / BUCKETS_PER_E) - 1));

/** A bar of `value / most` of `width` cells, in eighths of a cell. */
function bar(value: number, most: number, width: number): string {
  const eighths = most === 0 ? 0 : Math.round((value / most) * width * 8);
  const partial = EIGHTHS[eighths % 8] as string;
  return ('█'.repeat(Math.floor(eighths / 8)) + (partial === ' ' ? '' : partial)) || (value > 0 ? '▏' : '');
}

/**
 * A histogram of durations in the terminal: the range from the shortest to the longest split into at most
 * twelve bars of equal ratio (log scale, as durations spread), each with its count, and where p50 and p95
 * fall. `width` is the terminal's (null: no limit).
 */
export function durationHistogram(title: string, buckets: readonly DurationBucket[], width: number | null): string {
  const fine = [...buckets].sort((a, b) => a.bucket - b.bucket);
  const first = fine[0];
  const last = fine[fine.length - 1];
  if (!first || !last) return '';
  const span = last.bucket - first.bucket + 1;
  const step = Math.ceil(span / MAX_BARS);
  const bins = Array.from({ length: Math.ceil(span / step) }, (_, i) => {
    const from = first.bucket + i * step;
    const inside = fine.filter((b) => b.bucket >= from && b.bucket < from + step);
    return { from, to: from + step, runs: inside.reduce((n, b) => n + b.runs, 0) };
  });
  const p50 = bucketPercentile(fine, 50);
  const p95 = bucketPercentile(fine, 95);
  const labels = bins.map((b, i) => {
    const upper = i === bins.length - 1 ? last.maxMs : lowerMs(b.to);
    return `${formatDuration(lowerMs(b.from))}–${formatDuration(upper)}`;
  });
  const labelWidth = Math.max(...labels.map((l) => l.length));
  const most = Math.max(...bins.map((b) => b.runs));
  const countWidth = String(most).length;
  const barWidth = Math.max(10, Math.min(50, (width ?? 80) - labelWidth - countWidth - 14));
  const marks = (b: { from: number; to: number }) => [[p50, 'p50'], [p95, 'p95']]
    .filter(([ms]) => typeof ms === 'number' && bucketOf(ms) >= b.from && bucketOf(ms) < b.to)
    .map(([, name]) => name).join(' ');
  const lines = bins.map((b, i) => {
    const mark = marks(b);
    return `  ${(labels[i] as string).padStart(labelWidth)}  ${bar(b.runs, most, barWidth).padEnd(barWidth)}  ${String(b.runs).padStart(countWidth)}${mark ? `  ${mark}` : ''}`.trimEnd();
  });
  return `\n${title}\n${lines.join('\n')}\n`;
}
