// The contract's sweep side: one sweep reads and writes in one transaction, problems and crontab jobs
// persist between sweeps, and the failure streak means the same wherever it is read.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { JobFacts, SweepSnapshot, SweepVerdict } from '../../src/shared/sweep-model.ts';
import type { Kit } from './kit.ts';
import { aFinishedRun, aRun, at, recordAll } from './records.ts';

const NOTHING: SweepVerdict = { lost: [], opened: [], closed: [], resolving: [], reopened: [], counts: { current: 0, reported: 0, resolved: 0 }, warnings: [] };

export function sweepContract(kit: Kit): void {
  const name = (what: string) => `${kit.name} store: ${what}`;

  test(name('sweep: the snapshot holds running runs, jobs and open problems; the verdict is written and logged'), async () => {
    const store = await kit.writable();
    const running = aRun('stuck-job', at(0), { pgid: 99 });
    await store.runs.begin(running, null);
    await store.runs.addAttempt(running.id, { n: 1, status: 'failed', exitCode: 1, signal: null, startedAt: at(0), endedAt: at(2), durationMs: 120_000, outputBytes: 0, reason: null });
    const crontab = [{ name: 'nightly', schedules: [{ schedule: '0 3 * * *', tz: null, graceMs: null, source: '/etc/cron.d/x:3' }] }];
    let first: SweepSnapshot | undefined;
    const problem = { job: 'stuck-job', kind: 'stuck' as const, since: at(10), runId: running.id, message: 'wrapper gone' };
    await store.sweep.sweep(at(10), crontab, (snapshot) => {
      first = snapshot;
      return { ...NOTHING, lost: [{ runId: running.id, durationMs: 600_000, reason: 'wrapper gone' }], opened: [problem], counts: { current: 1, reported: 1, resolved: 0 }, warnings: ['w1'] };
    });
    assert.deepEqual(first?.running.map((r) => [r.id, r.pgid, r.lastAttemptEndedAt]), [[running.id, 99, at(2)]]);
    assert.deepEqual(first?.open, []);
    assert.deepEqual(first?.sweeps, []);
    assert.deepEqual(first?.jobs.map((j) => j.job), ['nightly', 'stuck-job']);
    assert.equal(first?.jobs[0]?.firstSeenAt, at(10), 'a crontab job is first seen by the sweep that found it');
    const [lost] = await store.reads.list({ job: 'stuck-job' });
    assert.equal(lost?.status, 'lost');
    assert.equal(lost?.endedAt, at(10));
    assert.equal(lost?.reason, 'wrapper gone');
    assert.equal(await store.sweep.lastSweepAt(), at(10));
    assert.deepEqual(await store.metrics.problems(), [{ job: 'stuck-job', kind: 'stuck' }]);

    let second: SweepSnapshot | undefined;
    await store.sweep.sweep(at(40), [], (snapshot) => {
      second = snapshot;
      return { ...NOTHING, closed: [{ job: 'stuck-job', kind: 'stuck' }], counts: { current: 0, reported: 0, resolved: 1 } };
    });
    assert.deepEqual(second?.open, [{ ...problem, reported: false, resolvedAt: null }], 'never printed: still news');
    assert.deepEqual(second?.running, []);
    assert.deepEqual(second?.sweeps, [at(10)]);
    assert.deepEqual(second?.previousWarnings, ['w1']);
    assert.deepEqual(second?.jobs.map((j) => j.job), ['stuck-job'], 'a job gone from every crontab is forgotten there');
    assert.deepEqual(await store.metrics.problems(), []);
    assert.equal(await store.sweep.lastSweepAt(), at(40));
  });

  test(name('news is told only once printed: markReported; a resolved problem stays until its resolution is printed'), async () => {
    const store = await kit.writable();
    const problem = { job: 'j', kind: 'failing' as const, since: at(1), runId: null, message: 'failed' };
    const key = { job: 'j', kind: 'failing' as const };
    const open = async (when: string, verdict: Partial<SweepVerdict> = {}) => {
      let seen: SweepSnapshot | undefined;
      await store.sweep.sweep(when, [], (snapshot) => { seen = snapshot; return { ...NOTHING, ...verdict }; });
      return seen?.open;
    };
    await open(at(1), { opened: [problem] });
    await store.sweep.markReported(at(1), { reported: [key], resolved: [] });
    assert.deepEqual(await open(at(2), { resolving: [key] }), [{ ...problem, reported: true, resolvedAt: null }]);
    assert.deepEqual(await store.metrics.problems(), [], 'a resolved problem is not open');
    assert.deepEqual(await open(at(3), { reopened: [key] }), [{ ...problem, reported: true, resolvedAt: at(2) }]);
    assert.deepEqual(await open(at(4), { resolving: [key] }), [{ ...problem, reported: true, resolvedAt: null }], 'reopened');
    await store.sweep.markReported(at(4), { reported: [], resolved: [key] });
    assert.deepEqual(await open(at(5)), []);
  });

  test(name('a sweep whose judgement throws writes nothing'), async () => {
    const store = await kit.writable();
    const running = aRun('kept', at(0));
    await store.runs.begin(running, null);
    await assert.rejects(store.sweep.sweep(at(5), [{ name: 'x', schedules: [] }], () => { throw new Error('judge failed'); }), /judge failed/);
    assert.equal(await store.sweep.lastSweepAt(), null);
    assert.deepEqual((await store.sweep.jobs()).map((j) => j.job), ['kept']);
  });

  test(name('the failure streak: finished failures since the latest success, the same in jobs, metrics and alerts'), async () => {
    const store = await kit.writable();
    const runs = [
      aFinishedRun('f', at(0), 'failed'), aFinishedRun('f', at(1), 'success'), aFinishedRun('f', at(2), 'timeout'),
      aFinishedRun('f', at(3), 'skipped'), aFinishedRun('f', at(4), 'lost'), aFinishedRun('f', at(5), 'killed'),
    ];
    await recordAll(store, runs);
    await store.runs.begin(aRun('f', at(6)), null);
    const [facts] = await store.sweep.jobs();
    assert.equal(facts?.streak.count, 3);
    assert.equal(facts?.last?.status, 'running');
    assert.equal(facts?.lastFinished?.id, runs[5]?.id);
    // When the streak began and how its last run ended are read for sweep's snapshot (jobs() may leave them out).
    let judged: JobFacts | undefined;
    await store.sweep.look(at(7), [], (snapshot) => { judged = snapshot.jobs[0]; return NOTHING; });
    assert.equal(judged?.streak.count, 3);
    assert.equal(judged?.streak.since, runs[2]?.endedAt);
    assert.equal(judged?.failed?.status, 'killed');
    assert.equal(judged?.failed?.endedAt, runs[5]?.endedAt);
    const [metrics] = await store.metrics.jobs();
    assert.equal(metrics?.failureStreak, 3);
    assert.equal(metrics?.runs, 7);
    assert.equal(metrics?.failures, 4);
    assert.equal(metrics?.lastSuccessAt, runs[1]?.endedAt);
    assert.equal(await store.alerts.failuresBefore('f', runs[5]?.id ?? '', at(5)), 2, 'the failures before a run, itself excluded');
    assert.equal(await store.alerts.failuresBefore('f', runs[1]?.id ?? '', at(1)), 1);
    await store.runs.ingest(aFinishedRun('f', at(7), 'success'), null);
    assert.equal((await store.sweep.jobs())[0]?.streak.count, 0);
    assert.equal((await store.metrics.jobs())[0]?.failureStreak, 0);
  });

  test(name('a job read the same way on every backend: one expectation per distinct schedule, the first line naming it kept'), async () => {
    const store = await kit.writable();
    const line = (schedule: string, source: string) => ({ schedule, tz: null, graceMs: null, source });
    const crontab = [{ name: 'twice', schedules: [line('0 3 * * *', '/etc/cron.d/a:1'), line('0 3 * * *', '/etc/cron.d/b:7'), line('0 4 * * *', '/etc/cron.d/b:8')] }];
    await store.sweep.sweep(at(1), crontab, () => NOTHING);
    const [twice] = await store.sweep.jobs();
    assert.deepEqual(twice?.crontab.map((e) => [e.schedule, e.source]), [['0 3 * * *', '/etc/cron.d/a:1'], ['0 4 * * *', '/etc/cron.d/b:8']]);
    assert.equal(twice?.firstSeenAt, at(1));
    assert.equal(twice?.recorded, null);
  });
}
