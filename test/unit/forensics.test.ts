import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvField, csvRecord } from '../../src/report/csv.ts';
import { neutralise } from '../../src/shared/neutralise.ts';
import { durationSummary, percentile } from '../../src/shared/percentile.ts';
import { parseWhen } from '../../src/shared/when.ts';
import { CronguardError } from '../../src/shared/errors.ts';

test('CSV fields are quoted only when RFC 4180 needs it, quotes doubled', () => {
  assert.equal(csvField('plain'), 'plain');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('two\nlines'), '"two\nlines"');
  assert.equal(csvField('cr\rhere'), '"cr\rhere"');
  assert.equal(csvField(null), '');
  assert.equal(csvField(0), '0');
  assert.equal(csvRecord(['x', 'y,z', null, 3]), 'x,"y,z",,3\r\n');
});

test('neutralise shows control sequences instead of letting them act', () => {
  assert.equal(neutralise(Buffer.from('A\x00B\x1b[2JC\n')), 'A^@B^[[2JC\n');
  assert.equal(neutralise('over\rwrite'), 'over^Mwrite');
  assert.equal(neutralise('dos\r\nline\n'), 'dos\nline\n');
  assert.equal(neutralise('\x07bell\x7f'), '^Gbell^?');
  assert.equal(neutralise('tab\tkept'), 'tab\tkept');
  assert.equal(neutralise('csi\u009b31m'), 'csi<U+009B>31m');
  assert.equal(neutralise('abc\u202edcba'), 'abc<U+202E>dcba');
  assert.equal(neutralise(Buffer.from([0x41, 0xff, 0xfe, 0x42])), 'A\ufffd\ufffdB');
  assert.equal(neutralise('héllo ✓'), 'héllo ✓');
  // Nothing that can start a terminal escape survives.
  assert.doesNotMatch(neutralise(Buffer.from('\x1b]0;title\x07\x1bc\x9b2J')), /[\x00-\x08\x0b-\x1f\x7f\u0080-\u009f]/);
});

test('percentiles are nearest-rank: always a recorded value', () => {
  const ten = Float64Array.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
  assert.equal(percentile(ten, 50), 50);
  assert.equal(percentile(ten, 95), 100);
  assert.equal(percentile(ten, 90), 90);
  assert.equal(percentile([7], 50), 7);
  assert.equal(percentile([], 50), null);
  const twenty = Array.from({ length: 20 }, (_, i) => i + 1);
  assert.equal(percentile(twenty, 95), 19);
  assert.equal(percentile(Array.from({ length: 60 }, (_, i) => i + 1), 95), 57);
  assert.deepEqual(durationSummary([300, 100, 200]), { p50Ms: 200, p95Ms: 300, maxMs: 300 });
  assert.deepEqual(durationSummary([]), { p50Ms: null, p95Ms: null, maxMs: null });
  // Sorted numerically, not as text.
  assert.deepEqual(durationSummary([9, 10, 100, 1000]), { p50Ms: 10, p95Ms: 1000, maxMs: 1000 });
});

const NOW = new Date('2024-05-10T12:00:00.000Z');

test('--since as a duration means that long ago', () => {
  assert.equal(parseWhen('--since', '7d', NOW), '2024-05-03T12:00:00.000Z');
  assert.equal(parseWhen('--since', '90m', NOW), '2024-05-10T10:30:00.000Z');
  assert.equal(parseWhen('--since', '1h30m', NOW), '2024-05-10T10:30:00.000Z');
  assert.equal(parseWhen('--since', '3600', NOW), '2024-05-10T11:00:00.000Z');
});

test('--since as a date is local time unless it carries a zone', () => {
  // Node re-reads TZ when it changes: pin a zone with an offset (and DST) so that local cannot pass for UTC.
  const saved = process.env['TZ'];
  process.env['TZ'] = 'America/New_York';
  try {
    assert.equal(parseWhen('--since', '2024-05-01', NOW), '2024-05-01T04:00:00.000Z');
    assert.equal(parseWhen('--since', '2024-05-01T10:00', NOW), '2024-05-01T14:00:00.000Z');
    assert.equal(parseWhen('--since', '2024-01-15 10:00:30.25', NOW), '2024-01-15T15:00:30.250Z');
    assert.equal(parseWhen('--since', '2024-03-10T02:30', NOW), '2024-03-10T07:30:00.000Z');
    assert.equal(parseWhen('--since', '2024-05-01T10:00:00Z', NOW), '2024-05-01T10:00:00.000Z');
    assert.equal(parseWhen('--since', '2024-05-01T10:00:00+02:00', NOW), '2024-05-01T08:00:00.000Z');
    assert.equal(parseWhen('--since', '2024-05-01T10:00-0530', NOW), '2024-05-01T15:30:00.000Z');
  } finally {
    if (saved === undefined) delete process.env['TZ'];
    else process.env['TZ'] = saved;
  }
});

test('a bad --since is refused naming the option and the value', () => {
  for (const bad of ['yesterday', '2024-13-01', '2024-02-30', '2024-05-01T25:00', '2024-05-01T10:61', '5 days', '2024-05-01T10:00+15:00', '']) {
    assert.throws(() => parseWhen('--since', bad, NOW), (e: unknown) =>
      e instanceof CronguardError && e.exitCode === 125 && e.message.startsWith(`--since ${JSON.stringify(bad)}`), bad);
  }
});
