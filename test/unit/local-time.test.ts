import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inZone } from '../helpers/zone.ts';
import { localTime } from '../../src/shared/local-time.ts';
import { storedMs } from '../../src/shared/stored.ts';

/** The local time read field by field from a Date, as every reader showed it before the UTC shortcut: the oracle. */
function byFields(text: string, compact: boolean): string {
  const ms = storedMs(text);
  if (ms === null) return text;
  const d = new Date(ms);
  const two = (n: number) => String(Math.trunc(n)).padStart(2, '0');
  const minutes = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
  const east = -d.getTimezoneOffset();
  const offset = `${east < 0 ? '-' : '+'}${two(Math.abs(east) / 60)}:${two(Math.abs(east) % 60)}`;
  return `${compact && d.getSeconds() === 0 ? minutes : `${minutes}:${two(d.getSeconds())}`} ${offset}`;
}

test('local time: the same text field by field and from the stored digits, in UTC and elsewhere, odd days and years included', () => {
  const texts = [
    '2026-11-30T03:15:00.000Z', '2026-11-30T03:15:07.999Z', '2024-02-29T23:59:59.000Z', '1970-01-01T00:00:00.000Z',
    // Date.parse reads these as other days: the digits must not be shown as they are.
    '2026-02-30T10:00:00.000Z', '2025-02-29T10:00:00.000Z', '2026-04-31T00:00:00.000Z',
    // Before 1970 (offsets of seconds) and before 1000 (a shorter year).
    '1900-06-01T12:00:30.000Z', '0999-12-31T23:59:00.000Z', '2026-11-30T03:15+01:00', '2026-11-30T03:15:00Z',
  ];
  let ms = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 2000; i++) texts.push(new Date((ms += 3_600_000 * 7 + 61_001 * (i % 13))).toISOString());
  for (const zone of ['UTC', 'Etc/UTC', 'Europe/Paris', 'America/New_York', 'Africa/Accra', 'Asia/Kolkata']) {
    inZone(zone, () => {
      for (const text of texts) {
        for (const compact of [false, true]) assert.equal(localTime(text, compact), byFields(text, compact), `${zone} ${text} ${compact}`);
      }
    });
  }
  inZone('UTC', () => assert.equal(localTime('2026-11-30T03:15:00.000Z', true), '2026-11-30 03:15 +00:00'));
});
