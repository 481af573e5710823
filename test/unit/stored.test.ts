import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isStoredTime, storedMs, writtenMs } from '../../src/shared/stored.ts';

test('isStoredTime agrees with storedMs on written, edge and malformed times', () => {
  const texts = [
    '2026-05-01T23:00:13.000Z', '0000-01-01T00:00:00.000Z', '9999-12-28T23:59:59.999Z', '2026-01-31T23:59:59.999Z',
    '2026-04-30T12:00:00.000Z', '2000-02-29T00:00:00.000Z', '1900-02-29T00:00:00.000Z', '2100-02-28T00:00:00.000Z',
    // Only storedMs can tell these (days past 28, hour 24, leap days): the fast path must hand them on.
    '2026-02-29T00:00:00.000Z', '2028-02-29T12:00:00.000Z', '2026-02-31T00:00:00.000Z', '2026-04-31T10:00:00.000Z',
    '2026-01-32T00:00:00.000Z', '2026-01-01T24:00:00.000Z', '2026-01-01T24:00:01.000Z',
    // Out of range or not the written form.
    '2026-13-01T00:00:00.000Z', '2026-00-10T00:00:00.000Z', '2026-01-00T00:00:00.000Z', '2026-01-01T23:60:00.000Z',
    '2026-01-01T23:00:60.000Z', '2026-01-01T23:00:13.undefinedZ', '2026-01-01T23:00:13.0a0Z', '2026-01-01T23:00:13.000z',
    '2026-01-01 23:00:13.000Z', '2026-1-01T23:00:13.0000Z', '+26-01-01T23:00:13.000Z', '20a6-01-01T23:00:13.000Z',
    '2026-01-01T23:00:13Z', '2026-01-01T23:00Z', '2026-01-01T23:00:13.5+02:00', 'yesterday', '', ' 2026-01-01T23:00:13.000Z',
  ];
  for (const text of texts) assert.equal(isStoredTime(text), storedMs(text) !== null, text);
  for (const value of [null, undefined]) assert.equal(isStoredTime(value), false);
  // And on a sweep of written times: every 7 hours and 13 minutes for a few years.
  for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2029, 0, 1); ms += 26_000_017) {
    const text = new Date(ms).toISOString();
    assert.equal(isStoredTime(text), true, text);
  }
});

test('a written time read from its digits is what Date.parse reads, and only a real calendar day is one', () => {
  const texts = ['2026-05-01T23:00:13.007Z', '2024-02-29T00:00:00.999Z', '1970-01-01T00:00:00.000Z', '1969-12-31T23:59:59.999Z',
    '0099-12-31T23:59:59.000Z', '0000-01-01T00:00:00.000Z', '0400-02-29T12:00:00.500Z', '9999-12-31T23:59:59.999Z'];
  let ms = Date.UTC(1960, 0, 1);
  for (let i = 0; i < 5000; i++) texts.push(new Date((ms += 1_234_567_891)).toISOString());
  for (const text of texts.filter((t) => t.length === 24)) assert.equal(writtenMs(text), Date.parse(text), text);
  for (const odd of ['2026-02-30T10:00:00.000Z', '2025-02-29T10:00:00.000Z', '2026-04-31T00:00:00.000Z', '2026-01-01T24:00:00.000Z',
    '2026-01-01T23:60:00.000Z', '2026-01-01T23:00:60.000Z', '2026-13-01T00:00:00.000Z', '2026-01-01T00:00:00.00xZ', '2026-01-01T00:00:00Z', null]) {
    assert.equal(writtenMs(odd), null, String(odd));
  }
});
