import assert from 'node:assert/strict';
import { test } from 'node:test';
import { durationMs, formatDuration, parseDuration } from '../../src/shared/duration.ts';
import { sizeBytes } from '../../src/shared/size.ts';
import { parseCount } from '../../src/shared/count.ts';
import { CronguardError } from '../../src/shared/errors.ts';

test('durations in every form SPEC §2 names', () => {
  assert.equal(durationMs('90'), 90_000);
  assert.equal(durationMs('90s'), 90_000);
  assert.equal(durationMs('15m'), 900_000);
  assert.equal(durationMs('2h'), 7_200_000);
  assert.equal(durationMs('1d'), 86_400_000);
  assert.equal(durationMs('1h30m'), 5_400_000);
  assert.equal(durationMs('500ms'), 500);
  assert.equal(durationMs('1.5s'), 1500);
  assert.equal(durationMs('0'), 0);
});

test('malformed durations are refused', () => {
  for (const bad of ['', 'abc', '10x', '-5', '5 m', 'm5', '1h 30m', '1e3', 'ms']) assert.equal(durationMs(bad), undefined, bad);
  assert.throws(() => parseDuration('--timeout', 'soon'), (e: unknown) =>
    e instanceof CronguardError && e.exitCode === 125 && e.message.includes('--timeout') && e.message.includes('"soon"'));
  assert.throws(() => parseDuration('--timeout', '0', 1), /at least/);
});

test('durations print short', () => {
  assert.equal(formatDuration(350), '350ms');
  assert.equal(formatDuration(4200), '4.2s');
  assert.equal(formatDuration(185_000), '3m05s');
  assert.equal(formatDuration(7_800_000), '2h10m');
});

test('sizes in decimal and binary units', () => {
  assert.equal(sizeBytes('1000'), 1000);
  assert.equal(sizeBytes('64KiB'), 65_536);
  assert.equal(sizeBytes('1MiB'), 1_048_576);
  assert.equal(sizeBytes('1MB'), 1_000_000);
  assert.equal(sizeBytes('2k'), 2048);
  for (const bad of ['', '1.5MiB', 'MiB', '10 parsecs', '-1']) assert.equal(sizeBytes(bad), undefined, bad);
});

test('counts within bounds', () => {
  assert.equal(parseCount('--retries', '3', 0, 100), 3);
  assert.throws(() => parseCount('--retries', 'three', 0, 100), /--retries "three"/);
  assert.throws(() => parseCount('--retries', '101', 0, 100), /between 0 and 100/);
});

test('did-you-mean finds typos by edit distance, swaps included, and nothing far', async () => {
  const { closest, editDistance } = await import('../../src/shared/did-you-mean.ts');
  assert.equal(editDistance('histroy', 'history'), 1);
  assert.equal(editDistance('timout', 'timeout'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.deepEqual(closest('histroy', ['sweep', 'history', 'show', 'status', 'stats']), ['history']);
  assert.deepEqual(closest('nc-fial', ['nc-fail', 'nc-slow', 'backup']), ['nc-fail']);
  assert.deepEqual(closest('nc-fai', ['nc-fail', 'nc-slow', 'backup']), ['nc-fail']);
  assert.deepEqual(closest('frobnicate', ['timeout', 'retries', 'name']), []);
});
