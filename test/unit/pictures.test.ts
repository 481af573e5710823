import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Chalk } from 'chalk';
import { bucketOf, bucketPercentile, mergeBuckets, type DurationBucket } from '../../src/shared/duration-buckets.ts';
import { percentile } from '../../src/shared/percentile.ts';
import { durationHistogram } from '../../src/report/histogram.ts';
import { runStrip, sparkline } from '../../src/report/strip.ts';
import type { RunDot } from '../../src/store/store.ts';

const plain = new Chalk({ level: 0 });
const dot = (status: RunDot['status'], durationMs: number | null = 100): RunDot => ({ status, durationMs });

/** A deterministic pseudo-random sequence (for a fuzz that can be replayed). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

test('a strip: one letter per run, newest right, padded on the left; only the newest that fit', () => {
  const dots = [dot('success'), dot('failed'), dot('timeout'), dot('killed'), dot('error'), dot('lost'), dot('skipped', null), dot('running', null)];
  assert.equal(runStrip(dots, 10, plain), '  sFTKEL-R');
  assert.equal(runStrip(dots, 3, plain), 'L-R');
  assert.equal(runStrip([dot('nonsense' as RunDot['status'])], 1, plain), '?');
});

test('a sparkline: the shortest at the bottom, the longest at the top, a blank for no duration', () => {
  assert.equal(sparkline([dot('success', 100), dot('success', 150), dot('success', 200), dot('running', null)], 5), ' ▁▅█ ');
  assert.equal(sparkline([dot('success', 7), dot('success', 7)], 2), '▁▁');
  assert.equal(sparkline([dot('lost', null)], 1), ' ');
});

test('bucketed percentiles are never below the exact ones and within 3.2% above (seeded fuzz)', () => {
  const random = lcg(7);
  for (let round = 0; round < 200; round++) {
    const values = Array.from({ length: 1 + Math.floor(random() * 300) }, () => Math.round(Math.exp(random() * 14)));
    const buckets = new Map<number, DurationBucket>();
    for (const v of values) {
      const b = buckets.get(bucketOf(v)) ?? { bucket: bucketOf(v), runs: 0, maxMs: 0 };
      b.runs++;
      b.maxMs = Math.max(b.maxMs, v);
      buckets.set(b.bucket, b);
    }
    const sorted = Float64Array.from(values).sort();
    for (const p of [50, 95]) {
      const exact = percentile(sorted, p) as number;
      const approx = bucketPercentile([...buckets.values()], p) as number;
      assert.ok(approx >= exact && approx <= (exact + 1) * Math.exp(1 / 32), `p${p}: ${approx} vs ${exact}`);
    }
  }
  assert.equal(bucketPercentile([], 50), null);
  assert.deepEqual(mergeBuckets([[{ bucket: 1, runs: 2, maxMs: 5 }], [{ bucket: 1, runs: 1, maxMs: 7 }]]), [{ bucket: 1, runs: 3, maxMs: 7 }]);
});

test('a histogram: at most 12 bars whose counts add up, p50 and p95 marked, no wider than asked', () => {
  const buckets = [10, 100, 1000, 10_000, 100_000].map((ms, i) => ({ bucket: bucketOf(ms), runs: i + 1, maxMs: ms }));
  const text = durationHistogram('durations:', buckets, 60);
  const bars = text.split('\n').filter((l) => l.startsWith('  '));
  assert.ok(bars.length <= 12 && bars.length >= 5, text);
  assert.equal(bars.reduce((n, l) => n + Number(/ (\d+)(?: +p\d\d.*)?$/.exec(l)?.[1]), 0), 15);
  assert.match(text, /p50/);
  assert.match(text, /p95/);
  for (const line of bars) assert.ok([...line].length <= 60, line);
  assert.equal(durationHistogram('none', [], 80), '');
});
