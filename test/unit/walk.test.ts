import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileSchedule, expectedStarts, firstStartAfter, type Schedule } from '../../src/schedule/walk.ts';
import { instantsOfWall, wallText } from '../../src/schedule/zone.ts';
import { nearestStart } from '../../src/schedule/nearest.ts';

const ms = (iso: string): number => Date.parse(iso);
const isos = (list: number[]): string[] => list.map((t) => new Date(t).toISOString().replace('.000Z', 'Z'));

/** A schedule that must compile. */
function sched(text: string, zone: string | null = 'UTC'): Schedule {
  const s = compileSchedule(text, zone);
  assert.equal(typeof s, 'object', `${text}: ${String(s)}`);
  return s as Schedule;
}

/** Expected starts in (from, to] as ISO strings without milliseconds. */
const walk = (text: string, zone: string, from: string, to: string): string[] =>
  isos(expectedStarts(sched(text, zone), ms(from), ms(to), null));

test('every 5 minutes walks forward from an instant, never including it', () => {
  assert.deepEqual(walk('*/5 * * * *', 'UTC', '2026-01-01T00:02:00Z', '2026-01-01T00:20:00Z'),
    ['2026-01-01T00:05:00Z', '2026-01-01T00:10:00Z', '2026-01-01T00:15:00Z', '2026-01-01T00:20:00Z']);
  assert.deepEqual(walk('*/5 * * * *', 'UTC', '2026-01-01T00:05:00Z', '2026-01-01T00:10:00Z'), ['2026-01-01T00:10:00Z']);
});

test('daily in a zone is read on that zone\'s clock', () => {
  assert.deepEqual(walk('0 3 * * *', 'Europe/Berlin', '2026-01-01T00:00:00Z', '2026-01-03T00:00:00Z'),
    ['2026-01-01T02:00:00Z', '2026-01-02T02:00:00Z']);
  assert.deepEqual(walk('0 3 * * *', 'America/New_York', '2026-07-01T00:00:00Z', '2026-07-02T12:00:00Z'),
    ['2026-07-01T07:00:00Z', '2026-07-02T07:00:00Z']);
});

test('New York spring-forward (2026-03-08): a fixed time in the gap runs once at the jump, wildcard times in it do not exist', () => {
  assert.deepEqual(walk('30 2 * * *', 'America/New_York', '2026-03-07T00:00:00Z', '2026-03-10T00:00:00Z'),
    ['2026-03-07T07:30:00Z', '2026-03-08T07:00:00Z', '2026-03-09T06:30:00Z']);
  assert.deepEqual(walk('*/30 * * * *', 'America/New_York', '2026-03-08T06:00:00Z', '2026-03-08T08:00:00Z'),
    ['2026-03-08T06:30:00Z', '2026-03-08T07:00:00Z', '2026-03-08T07:30:00Z', '2026-03-08T08:00:00Z']);
  // The run cron made at the jump satisfies the day: the next expected start is the next day's.
  assert.equal(isos([firstStartAfter(sched('30 2 * * *', 'America/New_York'), ms('2026-03-08T07:00:03Z'), null) ?? 0])[0], '2026-03-09T06:30:00Z');
});

test('New York fall-back (2026-11-01): a fixed time in the repeated hour runs once, a wildcard one twice', () => {
  assert.deepEqual(walk('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', '2026-11-02T12:00:00Z'),
    ['2026-11-01T05:30:00Z', '2026-11-02T06:30:00Z']);
  assert.deepEqual(walk('*/30 * * * *', 'America/New_York', '2026-11-01T04:45:00Z', '2026-11-01T07:00:00Z'),
    ['2026-11-01T05:00:00Z', '2026-11-01T05:30:00Z', '2026-11-01T06:00:00Z', '2026-11-01T06:30:00Z', '2026-11-01T07:00:00Z']);
  assert.deepEqual(walk('0 * * * *', 'America/New_York', '2026-11-01T04:30:00Z', '2026-11-01T07:30:00Z'),
    ['2026-11-01T05:00:00Z', '2026-11-01T06:00:00Z', '2026-11-01T07:00:00Z']);
});

test('Berlin spring-forward (2026-03-29) and fall-back (2026-10-25)', () => {
  assert.deepEqual(walk('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', '2026-03-31T00:00:00Z'),
    ['2026-03-29T01:00:00Z', '2026-03-30T00:30:00Z']);
  assert.deepEqual(walk('*/15 * * * *', 'Europe/Berlin', '2026-03-29T00:50:00Z', '2026-03-29T01:15:00Z'),
    ['2026-03-29T01:00:00Z', '2026-03-29T01:15:00Z']);
  assert.deepEqual(walk('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', '2026-10-26T12:00:00Z'),
    ['2026-10-25T00:30:00Z', '2026-10-26T01:30:00Z']);
  assert.deepEqual(walk('15 * * * *', 'Europe/Berlin', '2026-10-24T23:30:00Z', '2026-10-25T02:30:00Z'),
    ['2026-10-25T00:15:00Z', '2026-10-25T01:15:00Z', '2026-10-25T02:15:00Z']);
});

test('no DST day ever yields a start between a run cron made and the next day\'s time', () => {
  // A daily job that ran at each expected start: walking from each run finds exactly the next one.
  for (const [zone, text] of [['America/New_York', '30 2 * * *'], ['America/New_York', '30 1 * * *'], ['Europe/Berlin', '30 2 * * *'], ['Europe/Berlin', '0 3 * * *']] as const) {
    const s = sched(text, zone);
    const starts = expectedStarts(s, ms('2026-01-01T00:00:00Z'), ms('2027-01-01T00:00:00Z'), null);
    assert.equal(starts.length, 365, `${zone} ${text}`);
    for (let i = 1; i < starts.length; i++) {
      const gap = (starts[i] as number) - (starts[i - 1] as number);
      assert.ok(gap >= 22 * 3_600_000 && gap <= 26 * 3_600_000, `${zone} ${text}: ${isos([starts[i - 1] as number, starts[i] as number])}`);
    }
  }
});

test('6 fields read seconds first', () => {
  assert.deepEqual(walk('*/20 * * * * *', 'UTC', '2026-01-01T00:00:05Z', '2026-01-01T00:01:00Z'),
    ['2026-01-01T00:00:20Z', '2026-01-01T00:00:40Z', '2026-01-01T00:01:00Z']);
  assert.equal(typeof compileSchedule('0 */5 * * * *', 'UTC', false), 'string', 'crontab lines have no seconds field');
});

test('aliases stand for their 5-field schedules', () => {
  const from = '2026-01-01T00:30:00Z'; // a Thursday
  const first = (alias: string) => isos([firstStartAfter(sched(alias), ms(from), null) ?? 0])[0];
  assert.equal(first('@hourly'), '2026-01-01T01:00:00Z');
  assert.equal(first('@daily'), '2026-01-02T00:00:00Z');
  assert.equal(first('@midnight'), '2026-01-02T00:00:00Z');
  assert.equal(first('@weekly'), '2026-01-04T00:00:00Z');
  assert.equal(first('@monthly'), '2026-02-01T00:00:00Z');
  assert.equal(first('@yearly'), '2027-01-01T00:00:00Z');
  assert.equal(first('@annually'), '2027-01-01T00:00:00Z');
});

test('@reboot is expected at the last boot, and only after the instant walked from', () => {
  const s = sched('@reboot');
  const boot = ms('2026-05-01T08:00:00Z');
  assert.equal(firstStartAfter(s, ms('2026-04-30T00:00:00Z'), boot), boot);
  assert.equal(firstStartAfter(s, ms('2026-05-01T08:00:01Z'), boot), null);
  assert.equal(firstStartAfter(s, 0, null), null);
});

test('day-of-month and day-of-week: either when both are restricted, both when one is *', () => {
  assert.deepEqual(walk('0 0 13 * 5', 'UTC', '2026-02-01T00:00:00Z', '2026-02-14T00:00:00Z'),
    ['2026-02-06T00:00:00Z', '2026-02-13T00:00:00Z']);
  // '*/10' starts with '*': cron then wants both, the 1st/11th/21st/31st that is a Monday (June 1 only).
  assert.deepEqual(walk('0 0 */10 * mon', 'UTC', '2026-05-31T00:00:00Z', '2026-07-01T00:00:00Z'), ['2026-06-01T00:00:00Z']);
  assert.deepEqual(walk('0 12 * jan-feb sun,7', 'UTC', '2026-02-20T00:00:00Z', '2026-03-31T00:00:00Z'), ['2026-02-22T12:00:00Z']);
  assert.equal(firstStartAfter(sched('0 0 31 2 *'), ms('2026-01-01T00:00:00Z'), null), null);
});

test('malformed schedules are refused with a reason', () => {
  for (const bad of ['61 * * * *', '* * *', '@every5m', 'a b c d e', '*/0 * * * *', '5-1 * * * *', '* * * * * * *', '* 24 * * *', '0 0 0 * *']) {
    assert.equal(typeof compileSchedule(bad, 'UTC'), 'string', bad);
  }
});

test('wall-clock helpers: a gap has no instant, a repeated hour two', () => {
  assert.deepEqual(instantsOfWall('America/New_York', ms('2026-03-08T02:30:00Z')), { instants: [], gapEnd: ms('2026-03-08T07:00:00Z') });
  assert.deepEqual(instantsOfWall('America/New_York', ms('2026-11-01T01:30:00Z')).instants, [ms('2026-11-01T05:30:00Z'), ms('2026-11-01T06:30:00Z')]);
  assert.equal(wallText('Europe/Berlin', ms('2026-07-01T10:00:00Z')), '2026-07-01 12:00');
});

test('--once\'s nearest start: the latest at or before now, or the next when closer; exact even when a window holds over 10,000 starts', () => {
  const near = (text: string, now: string) => new Date(nearestStart(text, 'UTC', ms(now), null) ?? 0).toISOString();
  assert.equal(near('*/15 * * * *', '2026-03-01T10:07:10Z'), '2026-03-01T10:00:00.000Z');
  assert.equal(near('*/15 * * * *', '2026-03-01T10:07:40Z'), '2026-03-01T10:15:00.000Z');
  // Every minute of January, asked in mid-February: the 32-day window back holds 25,000 starts.
  assert.equal(near('* * * 1 *', '2026-02-15T12:00:30Z'), '2026-01-31T23:59:00.000Z');
  assert.equal(near('* * * 1 *', '2026-12-20T00:00:00Z'), '2027-01-01T00:00:00.000Z');
  assert.equal(near('30 4 29 2 *', '2027-03-01T00:00:00Z'), '2028-02-29T04:30:00.000Z');
});
