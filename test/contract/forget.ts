// The contract's forget side: a job's runs, problems and what sweep learned go; other jobs stay; a job
// with a running run is left whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SweepVerdict } from '../../src/shared/sweep-model.ts';
import type { Kit } from './kit.ts';
import { aFinishedRun, aRun, at, recordAll } from './records.ts';

const NOTHING: SweepVerdict = { lost: [], opened: [], closed: [], resolving: [], reopened: [], counts: { current: 0, reported: 0, resolved: 0 }, warnings: [] };

export function forgetContract(kit: Kit): void {
  const name = (what: string) => `${kit.name} store: ${what}`;

  test(name('forget: the job\'s runs, problems and crontab lines go, other jobs stay; a dry run only counts'), async () => {
    const store = await kit.writable();
    await recordAll(store, [aFinishedRun('gone', at(0), 'failed'), aFinishedRun('gone', at(1), 'failed'), aFinishedRun('kept', at(2), 'failed')]);
    const crontab = [{ name: 'gone', schedules: [{ schedule: '0 3 * * *', tz: null, graceMs: null, source: 'c:1' }] }, { name: 'kept', schedules: [] }];
    const problems = ['gone', 'kept'].map((job) => ({ job, kind: 'failing' as const, since: at(2), runId: null, message: 'm' }));
    await store.sweep.sweep(at(10), crontab, () => ({ ...NOTHING, opened: problems }));
    const expected = { runs: 2, attempts: 2, outputBytes: 0, problems: 1, crontab: true, recorded: true, running: null };
    assert.deepEqual(await store.prune.forget('gone', true), expected);
    assert.equal((await store.reads.list({ job: 'gone' })).length, 2, 'a dry run removes nothing');
    assert.deepEqual(await store.prune.forget('gone', false), expected);
    assert.deepEqual(await store.reads.list({ job: 'gone' }), []);
    assert.deepEqual(await store.reads.jobNames(), ['kept']);
    assert.deepEqual((await store.sweep.jobs()).map((j) => j.job), ['kept']);
    assert.deepEqual(await store.metrics.problems(), [{ job: 'kept', kind: 'failing' }]);
    assert.deepEqual(await store.prune.forget('gone', true), { runs: 0, attempts: 0, outputBytes: 0, problems: 0, crontab: false, recorded: false, running: null });
  });

  test(name('forget: a job with a running run is left whole, and that run named'), async () => {
    const store = await kit.writable();
    const running = aRun('busy', at(5));
    await recordAll(store, [aFinishedRun('busy', at(0), 'success')]);
    await store.runs.begin(running, null);
    assert.equal((await store.prune.forget('busy', false)).running, running.id);
    assert.equal((await store.reads.list({ job: 'busy' })).length, 2);
  });
}
