import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideSweep, type SweepOptions } from '../../src/sweep/evaluate.ts';
import type { EndedRun, JobFacts, OpenProblem, Problem, RunGist, RunningRun, SweepSnapshot } from '../../src/shared/sweep-model.ts';
import { watchTheWatcher } from '../../src/sweep/state.ts';

const T = (iso: string): number => Date.parse(iso);
const MIN = 60_000;

/** A running run started at `startedAt` with a heartbeat at `heartbeatAt`, owned by pid 100 on host h. */
function running(over: Partial<RunningRun> = {}): RunningRun {
  return {
    id: 'run-aaaaaaaa-1', job: 'backup', startedAt: '2026-06-01T10:00:00.000Z', heartbeatAt: '2026-06-01T10:00:00.000Z',
    host: 'h', pid: 100, pidStart: '5', pgid: 100, timeoutMs: null, killAfterMs: 10_000, heartbeatMs: 30_000,
    lastAttemptEndedAt: null, ...over,
  };
}

/** A finished run. */
function run(id: string, status: RunGist['status'], startedAt: string): EndedRun {
  return { id, status, startedAt, endedAt: new Date(T(startedAt) + 1000).toISOString(), durationMs: 1000, exitCode: status === 'failed' ? 3 : 0, signal: null };
}

/** A job's facts; `last` also counts as its latest finished run unless it is running. */
function job(name: string, over: Partial<JobFacts> = {}): JobFacts {
  return { job: name, recorded: null, crontab: [], firstSeenAt: '2026-01-01T00:00:00.000Z', last: null, lastFinished: null, failed: null, streak: { count: 0, since: null }, ...over };
}

/** Problems as a sweep stores them once it has printed them. */
const told = (problems: Problem[]): OpenProblem[] => problems.map((p) => ({ ...p, reported: true, resolvedAt: null }));

/** A snapshot with no earlier sweeps unless given. */
function snap(over: Partial<SweepSnapshot> = {}): SweepSnapshot {
  return { running: [], jobs: [], open: [], sweeps: [], previousWarnings: [], ...over };
}

/** Options for a sweep at `at` where the listed pids are alive (and group 100 when `groupAlive`). */
function opts(at: string, alive: number[] = [], over: Partial<SweepOptions> & { groupAlive?: boolean } = {}): SweepOptions {
  return {
    at: T(at), staleMs: null, maxRuntimeMs: null, bootMs: null, crontabWarnings: [], byHand: false,
    liveness: { wrapper: (id) => (id.host === 'h' ? alive.includes(id.pid) : undefined), group: () => over.groupAlive === true },
    ...over,
  };
}

const kinds = (ps: readonly Problem[]) => ps.map((p) => `${p.job}:${p.kind}`).sort();

test('a run whose wrapper is gone is stuck once, marked lost, and failing takes over', () => {
  const out = decideSweep(snap({ running: [running()], jobs: [job('backup')] }), opts('2026-06-01T10:01:00Z', [], { groupAlive: true }));
  assert.deepEqual(kinds(out.reported), ['backup:failing', 'backup:stuck']);
  assert.deepEqual(out.lost.map((l) => [l.runId, l.durationMs]), [['run-aaaaaaaa-1', MIN]]);
  const stuck = out.reported.find((p) => p.kind === 'stuck');
  assert.match(stuck?.message ?? '', /process group 100 outlived the wrapper/);
  assert.equal(stuck?.runId, 'run-aaaaaaaa-1');
  // Only failing stays open: the stuck problem is never "resolved" later.
  assert.deepEqual(kinds(out.opened), ['backup:failing']);
});

test('a live wrapper with a stale heartbeat is stuck but not lost; a fresh one is fine', () => {
  const base = snap({ running: [running()], jobs: [job('backup')] });
  const stale = decideSweep(base, opts('2026-06-01T10:06:00Z', [100]));
  assert.deepEqual(kinds(stale.reported), ['backup:stuck']);
  assert.deepEqual(stale.lost, []);
  assert.match(stale.reported[0]?.message ?? '', /alive but its last heartbeat is 6m00s old \(stale after 5m00s\)/);
  assert.deepEqual(decideSweep(base, opts('2026-06-01T10:04:00Z', [100])).reported, []);
  assert.deepEqual(kinds(decideSweep(base, opts('2026-06-01T10:02:00Z', [100], { staleMs: MIN })).reported), ['backup:stuck']);
});

test('a run of another host is lost only once its heartbeat is stale', () => {
  const base = snap({ running: [running({ host: 'other' })], jobs: [job('backup')] });
  assert.deepEqual(decideSweep(base, opts('2026-06-01T10:04:00Z')).lost, []);
  assert.equal(decideSweep(base, opts('2026-06-01T10:06:00Z')).lost.length, 1);
});

test('overrun: past its timeout plus kill-after, past --max-runtime, with room for a retry backoff', () => {
  const timed = snap({ running: [running({ timeoutMs: 10 * MIN, heartbeatAt: '2026-06-01T10:11:00.000Z' })], jobs: [job('backup')] });
  assert.deepEqual(decideSweep(timed, opts('2026-06-01T10:10:05Z', [100])).reported, []);
  const over = decideSweep(timed, opts('2026-06-01T10:11:00Z', [100]));
  assert.deepEqual(kinds(over.reported), ['backup:overrun']);
  assert.equal(over.reported[0]?.since, '2026-06-01T10:10:10.000Z');
  const retrying = snap({ running: [running({ timeoutMs: 10 * MIN, lastAttemptEndedAt: '2026-06-01T10:10:10.000Z', heartbeatAt: '2026-06-01T10:24:00.000Z' })], jobs: [job('backup')] });
  assert.deepEqual(decideSweep(retrying, opts('2026-06-01T10:24:00Z', [100])).reported, []);
  assert.deepEqual(kinds(decideSweep(retrying, opts('2026-06-01T10:26:00Z', [100])).reported), ['backup:overrun']);
  const capped = snap({ running: [running({ heartbeatAt: '2026-06-01T12:00:00.000Z' })], jobs: [job('backup')] });
  assert.deepEqual(kinds(decideSweep(capped, opts('2026-06-01T12:00:00Z', [100], { maxRuntimeMs: 60 * MIN })).reported), ['backup:overrun']);
});

test('overdue: the first expected start after the latest run, plus grace', () => {
  const daily = job('report', {
    recorded: { schedule: '0 3 * * *', tz: 'UTC', graceMs: null, source: '--schedule' },
    last: run('r1', 'success', '2026-06-01T03:00:02Z'), lastFinished: run('r1', 'success', '2026-06-01T03:00:02Z'),
  });
  assert.deepEqual(decideSweep(snap({ jobs: [daily] }), opts('2026-06-02T03:04:59Z')).reported, []);
  const late = decideSweep(snap({ jobs: [daily] }), opts('2026-06-02T03:05:01Z'));
  assert.deepEqual(kinds(late.reported), ['report:overdue']);
  assert.equal(late.reported[0]?.since, '2026-06-02T03:00:00.000Z');
  assert.equal(late.reported[0]?.runId, null);
  // The crontab wins over the recorded --schedule.
  const hourly = { ...daily, crontab: [{ schedule: '0 * * * *', tz: null, graceMs: 60_000, source: 'crontab -l:3' }] };
  assert.deepEqual(kinds(decideSweep(snap({ jobs: [hourly] }), opts('2026-06-01T04:01:01Z')).reported), ['report:overdue']);
});

test('a crontab job that never ran is overdue once its first start after it was first seen, plus grace, has passed', () => {
  const fresh = job('nightly', { firstSeenAt: '2026-03-01T12:00:00.000Z', crontab: [{ schedule: '0 3 * * *', tz: 'Europe/Berlin', graceMs: null, source: 'f:1' }] });
  assert.deepEqual(decideSweep(snap({ jobs: [fresh] }), opts('2026-03-02T02:04:00Z')).reported, []);
  const out = decideSweep(snap({ jobs: [fresh] }), opts('2026-03-02T02:06:00Z'));
  assert.equal(out.reported[0]?.since, '2026-03-02T02:00:00.000Z');
  assert.match(out.reported[0]?.message ?? '', /2026-03-02 03:00 Europe\/Berlin .*never run/);
});

test('@reboot: overdue when nothing started within grace after the boot', () => {
  const reboot = (last: RunGist | null) => job('warm', { firstSeenAt: '2026-05-01T00:00:00.000Z', last, crontab: [{ schedule: '@reboot', tz: null, graceMs: null, source: 'f:2' }] });
  const bootMs = T('2026-06-01T08:00:00Z');
  assert.deepEqual(kinds(decideSweep(snap({ jobs: [reboot(null)] }), opts('2026-06-01T08:06:00Z', [], { bootMs })).reported), ['warm:overdue']);
  assert.deepEqual(decideSweep(snap({ jobs: [reboot(run('w', 'success', '2026-06-01T08:00:30Z'))] }), opts('2026-06-01T08:06:00Z', [], { bootMs })).reported, []);
  assert.deepEqual(decideSweep(snap({ jobs: [reboot(null)] }), opts('2026-06-01T08:04:00Z', [], { bootMs })).reported, []);
});

test('no false overdue on DST days for a daily job that ran when cron ran it', () => {
  const cases = [
    ['America/New_York', '30 2 * * *', '2026-03-08T07:00:01Z', '2026-03-08T12:00:00Z'],
    ['America/New_York', '30 1 * * *', '2026-11-01T05:30:01Z', '2026-11-01T07:00:00Z'],
    ['Europe/Berlin', '30 2 * * *', '2026-03-29T01:00:01Z', '2026-03-29T12:00:00Z'],
    ['Europe/Berlin', '30 2 * * *', '2026-10-25T00:30:01Z', '2026-10-25T02:00:00Z'],
  ] as const;
  for (const [tz, schedule, ranAt, at] of cases) {
    const j = job('dst', { recorded: { schedule, tz, graceMs: null, source: '--schedule' }, last: run('d', 'success', ranAt), lastFinished: run('d', 'success', ranAt) });
    assert.deepEqual(decideSweep(snap({ jobs: [j] }), opts(at)).reported, [], `${tz} ${schedule}`);
  }
});

test('failing is reported once, stays open quietly, and is resolved after a success', () => {
  const failed = job('report', { last: run('f1', 'failed', '2026-06-01T03:00:00Z'), lastFinished: run('f1', 'failed', '2026-06-01T03:00:00Z'), failed: run('f1', 'failed', '2026-06-01T03:00:00Z'), streak: { count: 2, since: '2026-05-31T03:00:01.000Z' } });
  const first = decideSweep(snap({ jobs: [failed] }), opts('2026-06-01T04:00:00Z'));
  assert.deepEqual(kinds(first.reported), ['report:failing']);
  assert.equal(first.reported[0]?.since, '2026-05-31T03:00:01.000Z');
  assert.match(first.reported[0]?.message ?? '', /failed \(exit 3\).*2 runs in a row/);
  const second = decideSweep(snap({ jobs: [failed], open: told(first.opened) }), opts('2026-06-01T04:30:00Z'));
  assert.deepEqual([second.reported, second.resolved, kinds(second.current)], [[], [], ['report:failing']]);
  const ok = job('report', { last: run('s1', 'success', '2026-06-01T05:00:00Z'), lastFinished: run('s1', 'success', '2026-06-01T05:00:00Z') });
  const third = decideSweep(snap({ jobs: [ok], open: told(first.opened) }), opts('2026-06-01T05:30:00Z'));
  assert.deepEqual([third.reported, kinds(third.resolved), third.resolving.map((c) => c.kind), third.closed], [[], ['report:failing'], ['failing'], []]);
});

test('news a sweep decided but never printed is reported by the next; so is a resolution left unprinted', () => {
  const failed = job('report', { last: run('f1', 'failed', '2026-06-01T03:00:00Z'), lastFinished: run('f1', 'failed', '2026-06-01T03:00:00Z'), failed: run('f1', 'failed', '2026-06-01T03:00:00Z'), streak: { count: 3, since: '2026-05-31T03:00:01.000Z' } });
  const first = decideSweep(snap({ jobs: [failed] }), opts('2026-06-01T04:00:00Z'));
  const unprinted = first.opened.map((p) => ({ ...p, message: 'old text', reported: false, resolvedAt: null }));
  const next = decideSweep(snap({ jobs: [failed], open: unprinted }), opts('2026-06-01T04:30:00Z'));
  assert.deepEqual([kinds(next.reported), next.opened], [['report:failing'], []]);
  assert.match(next.reported[0]?.message ?? '', /3 runs in a row/, 'the current facts, not the text from when it opened');
  const ok = job('report', { last: run('s1', 'success', '2026-06-01T05:00:00Z'), lastFinished: run('s1', 'success', '2026-06-01T05:00:00Z') });
  assert.deepEqual(kinds(decideSweep(snap({ jobs: [ok], open: unprinted }), opts('2026-06-01T05:30:00Z')).resolved), [], 'never told, so no resolution');
  const resolving = told(first.opened).map((p) => ({ ...p, resolvedAt: '2026-06-01T05:30:00.000Z' }));
  const again = decideSweep(snap({ jobs: [ok], open: resolving }), opts('2026-06-01T06:00:00Z'));
  assert.deepEqual([kinds(again.resolved), again.resolving], [['report:failing'], []], 'an unprinted resolution is printed next time');
  const back = decideSweep(snap({ jobs: [failed], open: resolving }), opts('2026-06-01T06:00:00Z'));
  assert.deepEqual([back.reported, back.resolved, kinds(back.reopened as Problem[])], [[], [], ['report:failing']], 'back before anyone was told it went');
});

test('a schedule cron cannot run is a warning, reported only while new', () => {
  const odd = job('odd', { recorded: { schedule: '0 0 L * *', tz: null, graceMs: null, source: '--schedule' } });
  const first = decideSweep(snap({ jobs: [odd] }), opts('2026-06-01T00:00:00Z', [], { crontabWarnings: ['f:1: bad'] }));
  assert.equal(first.newWarnings.length, 2);
  assert.match(first.newWarnings[1] ?? '', /job odd: schedule "0 0 L \* \*"/);
  const again = decideSweep(snap({ jobs: [odd], previousWarnings: first.warnings }), opts('2026-06-01T00:30:00Z', [], { crontabWarnings: ['f:1: bad'] }));
  assert.deepEqual(again.newWarnings, []);
});

test('watching the watcher: late only past twice the usual interval, known after three sweeps', () => {
  const sweeps = ['2026-06-01T11:00:00Z', '2026-06-01T10:30:00Z', '2026-06-01T10:00:00Z'];
  assert.equal(watchTheWatcher(sweeps, T('2026-06-01T12:00:00Z')).late, false);
  const late = watchTheWatcher(sweeps, T('2026-06-01T12:01:00Z'));
  assert.deepEqual(late, { previousAt: '2026-06-01T11:00:00Z', usualMs: 30 * MIN, late: true });
  assert.equal(watchTheWatcher(sweeps.slice(0, 2), T('2026-06-02T00:00:00Z')).late, false);
  assert.deepEqual(watchTheWatcher([], 0), { previousAt: null, usualMs: null, late: false });
  const burst = ['2026-06-01T11:00:02Z', '2026-06-01T11:00:01Z', '2026-06-01T11:00:00Z'];
  assert.equal(watchTheWatcher(burst, T('2026-06-01T11:05:00Z')).late, false, 'gaps under a minute are not cron spacing');
});

test("watching the watcher by sweep's own crontab line: late past its next start after the previous cron sweep, plus grace", () => {
  const line = { schedule: '*/30 * * * *', tz: 'UTC', graceMs: null, source: '/etc/cron.d/cronguard:2' };
  const lines = { sweepLines: [line] };
  const after = (prev: string, at: string, over: Partial<SweepOptions> = {}) => decideSweep(snap({ sweeps: [prev] }), opts(at, [], { ...lines, ...over })).watcher;
  assert.deepEqual(after('2026-06-01T10:00:02Z', '2026-06-01T10:35:00Z'), {
    previousAt: '2026-06-01T10:00:02Z', usualMs: null, late: false,
    expected: { at: '2026-06-01T10:30:00.000Z', schedule: '*/30 * * * *', source: '/etc/cron.d/cronguard:2', graceMs: 5 * MIN },
  });
  assert.equal(after('2026-06-01T10:00:02Z', '2026-06-01T10:35:01Z').late, true, 'one previous sweep is enough: the line says what to expect');
  assert.equal(after('2026-06-01T10:00:02Z', '2026-06-01T13:00:00Z', { byHand: true }).late, false, 'a sweep by hand is never late');
  assert.equal(after('2026-06-01T10:00:02Z', '2026-06-01T10:50:00Z', { sweepLines: [line, { ...line, schedule: '0 * * * *' }] }).late, true, 'the earliest line counts');
  assert.equal(after('2026-06-01T10:00:02Z', '2026-06-01T12:00:00Z', { sweepLines: [{ ...line, schedule: '0 0 L * *' }] }).late, false, 'a line that cannot be walked: no expectation');
  assert.equal(decideSweep(snap(), opts('2026-06-01T12:00:00Z', [], lines)).watcher.late, false, 'no previous sweep: nothing to expect');
});
