// The contract's write side: a run's life as the wrapper records it, overlap's exclusive begin, the spool's ingest.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openStore } from '../../src/store/open.ts';
import type { Kit } from './kit.ts';
import { aFinishedRun, aRun, at } from './records.ts';

export function runContract(kit: Kit): void {
  const name = (what: string) => `${kit.name} store: ${what}`;

  test(name('missing means empty: readers and updaters get null and create nothing; a writer creates'), async () => {
    const target = await kit.target();
    assert.equal(await openStore(target, 'read'), null);
    assert.equal(await openStore(target, 'update'), null);
    assert.equal(await openStore(target, 'read'), null, 'still nothing: looking created nothing');
    const store = await kit.writable(target);
    assert.ok(store.describe().length > 0);
    assert.doesNotMatch(store.describe(), /:[^/@:]+@/, 'no password in messages');
    const reader = await kit.readable(target);
    assert.ok(reader, 'once written to, the store exists for readers');
    assert.deepEqual(await reader.reads.list({}), []);
    assert.deepEqual(await reader.reads.jobNames(), []);
  });

  test(name("a run's life: begin, group, heartbeat, attempts, finish; a reader sees every field, output bytes exact"), async () => {
    const target = await kit.target();
    const store = await kit.writable(target);
    const run = aRun('life', at(0));
    await store.runs.begin(run, { schedule: '*/5 * * * *', tz: 'Europe/Paris', graceMs: 60_000 });
    await store.runs.setGroup(run.id, 4242);
    await store.runs.heartbeat(run.id, at(1));
    const output = Buffer.from([0x00, 0xff, 0xfe, 0x0a, 0x41]);
    const first = { n: 1, status: 'failed' as const, exitCode: 3, signal: null, startedAt: at(0), endedAt: at(1), durationMs: 60_000, outputBytes: 9000, reason: null, output };
    await store.runs.addAttempt(run.id, first);
    const reader = await kit.readable(target);
    assert.ok(reader);
    const [running] = await reader.reads.list({ job: 'life' });
    assert.equal(running?.status, 'running');
    assert.equal(running?.pgid, 4242, 'the group is on record');
    assert.equal(running?.heartbeatAt, at(1));
    assert.deepEqual(running?.command, run.command);
    assert.equal(running?.pidStart, run.pidStart);
    const second = { ...first, n: 2, status: 'success' as const, exitCode: 0, startedAt: at(2), endedAt: at(3), outputBytes: 2, output: Buffer.from('ok') };
    await store.runs.finish(run.id, { status: 'success', exitCode: 0, signal: null, endedAt: at(3), durationMs: 180_000, reason: null }, second);
    const [done] = await reader.reads.findByPrefix(run.id.slice(0, 8), 5);
    assert.equal(done?.status, 'success');
    assert.equal(done?.endedAt, at(3));
    assert.equal(done?.heartbeatAt, at(3), 'the ending is the last sign of life');
    assert.equal(done?.durationMs, 180_000);
    assert.deepEqual(done?.attempts.map((a) => [a.n, a.status, a.exitCode, a.outputBytes]), [[1, 'failed', 3, 9000], [2, 'success', 0, 2]]);
    assert.deepEqual(done?.attempts[0]?.output, output, 'binary output survives');
    const [listed] = await reader.reads.list({ job: 'life' });
    assert.equal(listed?.attempts[0]?.output, undefined, 'listings leave output out');
    const [job] = await reader.sweep.jobs();
    assert.deepEqual(job?.recorded, { schedule: '*/5 * * * *', tz: 'Europe/Paris', graceMs: 60_000, source: '--schedule' });
  });

  test(name("a job's --schedule: a later run's replaces it, a run without one keeps it, an unchanged one stays"), async () => {
    const store = await kit.writable();
    const recorded = async () => (await store.sweep.jobs()).find((j) => j.job === 'resched')?.recorded;
    await store.runs.begin(aRun('resched', at(0)), null);
    assert.equal(await recorded(), null, 'no schedule known yet');
    await store.runs.begin(aRun('resched', at(1)), { schedule: '0 3 * * *', tz: 'UTC', graceMs: 1000 });
    assert.deepEqual(await recorded(), { schedule: '0 3 * * *', tz: 'UTC', graceMs: 1000, source: '--schedule' });
    await store.runs.begin(aRun('resched', at(2)), null);
    await store.runs.begin(aRun('resched', at(3)), { schedule: '0 3 * * *', tz: 'UTC', graceMs: 1000 });
    assert.deepEqual(await recorded(), { schedule: '0 3 * * *', tz: 'UTC', graceMs: 1000, source: '--schedule' });
    await store.runs.begin(aRun('resched', at(4)), { schedule: '0 4 * * *', tz: null, graceMs: 2000 });
    assert.deepEqual(await recorded(), { schedule: '0 4 * * *', tz: 'UTC', graceMs: 2000, source: '--schedule' }, 'the zone kept when not given');
    assert.equal((await store.reads.list({ job: 'resched' })).length, 5, 'every run recorded');
  });

  test(name('claimOnce with an overlap check: a claim already made wins; then a live earlier run keeps the start unclaimed; a dead one does not'), async () => {
    const store = await kit.writable();
    const start = at(60);
    const holder = aRun('oc', at(0));
    await store.runs.begin(holder, null);
    const blocked = aRun('oc', at(61));
    assert.deepEqual(await store.runs.claimOnce(blocked, null, start, () => true), { runId: holder.id, host: holder.host, stillRunning: true });
    assert.deepEqual((await store.reads.list({ job: 'oc' })).map((r) => r.id), [holder.id], 'nothing recorded, nothing claimed');
    const winner = aRun('oc', at(62), { host: 'host-b' });
    assert.equal(await store.runs.claimOnce(winner, null, start, () => false), null, 'a dead holder does not block');
    assert.deepEqual(await store.runs.claimOnce(aRun('oc', at(63)), null, start, () => true), { runId: winner.id, host: 'host-b' }, 'the claim wins over a live holder');
    assert.deepEqual(await store.runs.claimOnce(aRun('oc', at(64)), null, start), { runId: winner.id, host: 'host-b' });
  });

  test(name('a heartbeat never revives a finished run'), async () => {
    const store = await kit.writable();
    const run = aFinishedRun('late-beat', at(0), 'failed');
    await store.runs.ingest(run, null);
    await store.runs.heartbeat(run.id, at(50));
    const [after] = await store.reads.list({ job: 'late-beat' });
    assert.equal(after?.heartbeatAt, run.heartbeatAt);
    assert.equal(after?.status, 'failed');
  });

  test(name('beginExclusive: a live holder keeps the job (its id returned, nothing recorded); a dead one does not'), async () => {
    const store = await kit.writable();
    const holder = aRun('lease', at(0), { pgid: 77 });
    await store.runs.begin(holder, null);
    const seen: unknown[] = [];
    const second = aRun('lease', at(1));
    const blocked = await store.runs.beginExclusive(second, null, (h) => { seen.push(h); return true; });
    assert.equal(blocked, holder.id);
    assert.deepEqual(seen, [{ id: holder.id, holder: { host: holder.host, pid: holder.pid, startTicks: holder.pidStart }, pgid: 77, heartbeatAt: holder.heartbeatAt, heartbeatMs: holder.heartbeatMs }]);
    assert.deepEqual((await store.reads.list({ job: 'lease' })).map((r) => r.id), [holder.id]);
    assert.equal(await store.runs.beginExclusive(second, null, () => false), null);
    assert.deepEqual((await store.reads.list({ job: 'lease' })).map((r) => r.id).sort(), [holder.id, second.id].sort());
  });

  test(name('two stores racing for one job: exactly one begins'), async () => {
    const target = await kit.target();
    const [a, b] = [await kit.writable(target), await kit.writable(target)];
    const live = () => true;
    const results = await Promise.all([a.runs.beginExclusive(aRun('race', at(0)), null, live), b.runs.beginExclusive(aRun('race', at(0)), null, live)]);
    assert.equal(results.filter((r) => r === null).length, 1);
    assert.equal((await a.reads.list({ job: 'race' })).length, 1);
  });

  test(name('ingest: a spooled run is written once; it completes a `running` record of itself; a finished one stays'), async () => {
    const store = await kit.writable();
    const started = aRun('spooled', at(0));
    await store.runs.begin(started, null);
    const complete = { ...aFinishedRun('spooled', at(0), 'timeout'), id: started.id };
    assert.equal(await store.runs.ingest(complete, null), true);
    assert.equal(await store.runs.ingest(complete, null), false, 'the same record twice is written once');
    assert.equal(await store.runs.ingest({ ...complete, status: 'success' }, null), false, 'a finished record is never overwritten');
    const runs = await store.reads.findByPrefix(started.id, 5);
    assert.equal(runs.length, 1);
    assert.equal(runs[0]?.status, 'timeout');
    assert.equal(runs[0]?.attempts.length, 1);
  });
}
