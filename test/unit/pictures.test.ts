import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Chalk } from 'chalk';
import { bucketOf, bucketPercentile, mergeBuckets, type DurationBucket } from '../../src/shared/duration-buckets.ts';
import { percentile } from '../../src/shared/percentile.ts';
import { durationHistogram } from '../../src/report/histogram.ts';
import { runStrip, sparkline } from '../../src/report/strip.ts';
import { characters, table } from '../../src/report/style.ts';
import { stripOfRuns, stripOfText } from '../../src/store/strip.ts';

const plain = new Chalk({ level: 0 });
/** A strip of runs given oldest first, as [status, duration] (100 ms unless said). */
const strip = (...runs: Array<[string, (number | null)?]>) => stripOfRuns(runs.map(([s, d = 100]) => [s, d] as const).reverse(), -1);

/** A deterministic pseudo-random sequence (for a fuzz that can be replayed). */
function lcg(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
}

test('a strip: one letter per run, newest right, padded on the left; only the newest that fit', () => {
  const runs = strip(['success'], ['failed'], ['timeout'], ['killed'], ['error'], ['lost'], ['skipped', null], ['running', null]);
  assert.equal(runStrip(runs, 10, plain), '  sFTKEL-R');
  assert.equal(runStrip(runs, 3, plain), 'L-R');
  assert.equal(runStrip(strip(['nonsense']), 1, plain), '?');
  const coloured = new Chalk({ level: 1 });
  assert.equal(runStrip(strip(['success'], ['failed'], ['nonsense']), 4, coloured), ` ${coloured.green('▄')}${coloured.red('█')}?`);
  // Every letter in its colour, in each style asked for (cells are made once per style, then reused).
  const all = strip(['success'], ['failed'], ['error'], ['lost'], ['timeout'], ['killed'], ['skipped', null], ['running', null]);
  const expected = (c: InstanceType<typeof Chalk>) => [c.green('▄'), c.red('█'), c.red('█'), c.red('█'), c.magenta('█'), c.yellow('█'), c.gray('·'), c.cyan('▒')].join('');
  const truecolour = new Chalk({ level: 3 });
  for (const style of [coloured, truecolour, coloured]) assert.equal(runStrip(all, 8, style), expected(style));
  assert.equal(runStrip(all, 8, plain), 'sFELTK-R');
});

test('characters: code points, an astral one once, a lone surrogate once', () => {
  assert.equal(characters('plain text'), 10);
  assert.equal(characters('j\u{1F600}b'), 3);
  assert.equal(characters('\ud800x'), 2);
  assert.equal(characters(''), 0);
});

test('a sparkline: the shortest at the bottom, the longest at the top, a blank for no duration', () => {
  assert.equal(sparkline(strip(['success', 100], ['success', 150], ['success', 200], ['running', null]), 5), ' ▁▅█ ');
  assert.equal(sparkline(strip(['success', 7], ['success', 7]), 2), '▁▁');
  assert.equal(sparkline(strip(['lost', null]), 1), ' ');
});

test('a stored strip: the last runs, oldest first, as stored or as JSON pairs newest first; nothing but letters through', () => {
  assert.deepEqual(stripOfText('sFT 1,2,3', 2), { letters: 'FT', durations: [2, 3] });
  assert.deepEqual(stripOfText('sFT 1,2,3', -1), stripOfRuns([['timeout', 3], ['failed', 2], ['success', 1]], -1));
  assert.deepEqual(stripOfText('sFT 1,2,3', 0), { letters: '', durations: [] });
  assert.deepEqual(stripOfText(null, 5), { letters: '', durations: [] });
  // Durations that are none, not numbers or missing are null; they align with the letters from the newest.
  assert.deepEqual(stripOfText('sFTK ,x,1.5', 9), { letters: 'sFTK', durations: [null, null, null, 1.5] });
  assert.deepEqual(stripOfText('s-R Infinity,-3,1e3', 9), { letters: 's-R', durations: [null, -3, 1000] });
  assert.deepEqual(stripOfText('s\u001b[1mF\u202e', 9).letters, 's????F?');
  assert.deepEqual(stripOfRuns([['nonsense', '7'], [null, 5], ['lost', null]], 9), { letters: 'L??', durations: [null, 5, null] });
});

/** The stored strip as the first reader read it (every duration split out, then those of the kept letters): the oracle. */
function stripOfTextByList(text: string, limit: number) {
  const space = text.indexOf(' ');
  const all = space < 0 ? text : text.slice(0, space);
  const letters = all.slice(limit >= 0 ? Math.max(0, all.length - limit) : 0).replace(/[^sFTKELR?-]/g, '?');
  const parts = space < 0 ? [] : text.slice(space + 1).split(',');
  const durations = [...letters].map((_, i) => {
    const part = parts[parts.length - letters.length + i];
    const ms = part === undefined || part === '' ? NaN : Number(part);
    return Number.isFinite(ms) ? ms : null;
  });
  return { letters, durations };
}

test('a stored strip read from its end gives what splitting all of it gave, whatever the text (seeded fuzz)', () => {
  const random = lcg(17);
  const alphabet = ['s', 'F', 'T', 'R', '-', '?', 'x', ',', ' ', '0', '1', '7', '9', '.', 'e', '-', '+', '\u00e9', '\u202e', '1234567890123456'];
  for (let k = 0; k < 20_000; k++) {
    let text = '';
    const length = Math.floor(random() * 40);
    for (let i = 0; i < length; i++) text += alphabet[Math.floor(random() * alphabet.length)];
    for (const limit of [-1, 0, 1, 3, 20, 40]) {
      assert.deepEqual(stripOfText(text, limit), stripOfTextByList(text, limit), JSON.stringify([text, limit]));
    }
  }
  // Digits read in place: as Number reads them, leading zeros too; 16 digits and more as Number rounds them.
  assert.deepEqual(stripOfText('sss 007,1200,9007199254740993', 3).durations, [7, 1200, 9007199254740992]);
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

test('a table: columns as wide as their widest cell, two spaces apart, no blanks at the end of a line', () => {
  assert.equal(table(['A', 'BB', 'C'], [['xyz', '', '1'], ['', 'q', ''], ['w', '', 'end\u00a0 ']], plain),
    'A    BB  C\nxyz      1\n     q\nw        end\n');
  assert.equal(table(['A', 'B'], [], plain), 'A  B\n');
  // A row with more cells than the header, or fewer: each column as wide as its widest cell all the same.
  assert.equal(table(['A'], [['x', 'yy', 'z'], ['wide'], ['', '', 'q']], plain), 'A\nx     yy  z\nwide\n          q\n');
  // In colour, escapes take no room.
  const coloured = new Chalk({ level: 1 });
  assert.equal(table(['A', 'B'], [[coloured.red('xx'), 'y'], ['z', coloured.green('w')]], coloured),
    `${coloured.bold('A   B')}\n${coloured.red('xx')}  y\nz   ${coloured.green('w')}\n`);
});
