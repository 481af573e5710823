import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationSummary, durationSummaryInPlace } from '../../src/shared/percentile.ts';

test('durationSummaryInPlace ranks as durationSummary does (nearest rank), duplicates, sorted and reversed input included', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const cases: number[][] = [[], [5], [2, 1], [3, 3, 3], Array.from({ length: 40 }, (_, i) => i), Array.from({ length: 41 }, (_, i) => 41 - i)];
  for (let n = 1; n <= 400; n += 7) {
    cases.push(Array.from({ length: n }, () => Math.floor(random() * 50)));
    cases.push(Array.from({ length: n }, () => Math.floor(random() * 1e6) / (random() < 0.1 ? 7 : 1)));
  }
  for (const values of cases) {
    assert.deepEqual(durationSummaryInPlace(Float64Array.from(values)), durationSummary(values), JSON.stringify(values.slice(0, 20)));
  }
});
