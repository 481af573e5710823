import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inZone } from '../helpers/zone.ts';
import { compileSchedule, expectedStarts, type Schedule } from '../../src/schedule/walk.ts';
import { offsetMs } from '../../src/schedule/zone.ts';


/** A schedule that compiles, or the test fails. */
function compiled(text: string, zone: string | null): Schedule {
  const s = compileSchedule(text, zone);
  assert.ok(typeof s !== 'string', `${text}: ${String(s)}`);
  return s;
}

test('the system\'s zone (a job without one) has the offsets and the starts of its IANA name, across DST changes', () => {
  const zones = ['America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata', 'America/Sao_Paulo', 'Africa/Casablanca', 'UTC'];
  zones.forEach((zone, i) => inZone(zone, () => {
    // Each zone its own year, a year apart (a walk looks a little past its end): offsets are remembered per
    // instant, and the system's do not know that TZ moved.
    const from = Date.UTC(2030 + 2 * i, 0, 1);
    const to = Date.UTC(2031 + 2 * i, 0, 1);
    for (let t = from; t < to; t += 3_600_000) assert.equal(offsetMs(null, t), offsetMs(zone, t), `${zone} ${new Date(t).toISOString()}`);
    for (const text of ['30 2 * * *', '*/20 1-3 * * *', '0 0 1 * *', '15 * * * 0']) {
      const starts = (z: string | null) => expectedStarts(compiled(text, z), from, to, null).map((t) => new Date(t).toISOString());
      assert.deepEqual(starts(null), starts(zone), `${zone} ${text}`);
    }
  }));
});
