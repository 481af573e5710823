// The contract's read side: listings, prefixes, stats, and prune (which reads what it deletes).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Kit } from './kit.ts';
import { aFinishedRun, aRun, at, recordAll } from './records.ts';
import { runJson } from '../../src/wire/run-json.ts';
import type { RunRecord } from '../../src/shared/types.ts';
import type { CsvRun } from '../../src/store/store.ts';
import { historyCsvFields, historyCsvRecord } from '../../src/report/history.ts';

export function readContract(kit: Kit): void {
  const name = (what: string) => `${kit.name} store: ${what}`;

  test(name('list: newest first, narrowed by job, statuses, since (inclusive), until (exclusive), host and limit'), async () => {
    const store = await kit.writable();
    const runs = [
      aFinishedRun('a', at(0), 'success'), aFinishedRun('a', at(10), 'failed'), aFinishedRun('b', at(20), 'timeout'),
      { ...aFinishedRun('b', at(30), 'success'), host: 'host-b' }, aRun('a', at(40)),
    ];
    await recordAll(store, runs);
    const ids = async (filter: Parameters<typeof store.reads.list>[0]) => (await store.reads.list(filter)).map((r) => r.id);
    const [r0, r1, r2, r3, r4] = runs.map((r) => r.id);
    assert.deepEqual(await ids({}), [r4, r3, r2, r1, r0]);
    assert.deepEqual(await ids({ job: 'a' }), [r4, r1, r0]);
    assert.deepEqual(await ids({ statuses: ['failed', 'timeout'] }), [r2, r1]);
    assert.deepEqual(await ids({ since: at(10), until: at(30) }), [r2, r1]);
    assert.deepEqual(await ids({ host: 'host-b' }), [r3]);
    assert.deepEqual(await ids({ limit: 2 }), [r4, r3]);
    assert.deepEqual(await ids({ job: 'a', limit: 1 }), [r4]);
    assert.deepEqual(await ids({ job: 'nobody' }), []);
    assert.deepEqual(await store.reads.jobNames(), ['a', 'b']);
  });

  test(name('each: the same runs as list, in the same order, with their attempts, one at a time'), async () => {
    const store = await kit.writable();
    const runs = [
      aFinishedRun('a', at(0), 'success'), aFinishedRun('a', at(10), 'failed'), aFinishedRun('b', at(20), 'timeout'),
      { ...aFinishedRun('b', at(30), 'success'), host: 'host-b' }, aRun('a', at(40)),
    ];
    await recordAll(store, runs);
    const all = async (filter: Parameters<typeof store.reads.each>[0]) => {
      const seen = [];
      for await (const run of store.reads.each(filter)) seen.push(run);
      return seen;
    };
    for (const filter of [{}, { job: 'a' }, { statuses: ['failed' as const, 'timeout' as const] }, { since: at(10), until: at(30) },
      { host: 'host-b' }, { limit: 2 }, { job: 'a', limit: 1 }, { job: 'nobody' }]) {
      assert.deepEqual(await all(filter), await store.reads.list(filter), JSON.stringify(filter));
    }
    assert.ok((await all({ job: 'b' })).every((r) => r.attempts.length > 0 && r.attempts.every((a) => a.output === undefined)));
    // Stopping early ends the read: the store stays usable.
    for await (const run of store.reads.each({})) if (run) break;
    assert.equal((await store.reads.list({})).length, 5);
  });

  test(name('eachJson: the runs of each, a run as the JSON text history --json writes of its record, or as that record'), async () => {
    const store = await kit.writable();
    await recordAll(store, [aFinishedRun('a', at(0), 'success'), aFinishedRun('a', at(10), 'failed'), { ...aFinishedRun('b', at(20), 'timeout'), host: 'h"\u0001' },
      aRun('a', at(40))]);
    for (const filter of [{}, { job: 'a' }, { statuses: ['failed' as const] }, { since: at(10), until: at(30) }, { limit: 2 }, { job: 'nobody' }]) {
      const seen: unknown[] = [];
      for await (const run of store.reads.eachJson(filter)) seen.push(run);
      const listed = await store.reads.list(filter);
      assert.deepEqual(seen.map((r) => (typeof r === 'string' ? r : JSON.stringify(runJson(r as RunRecord)))),
        listed.map((r) => JSON.stringify(runJson(r))), JSON.stringify(filter));
    }
    for await (const run of store.reads.eachJson({})) if (run) break;
    assert.equal((await store.reads.list({})).length, 4);
  });

  test(name('eachCsv: the runs of each, a run as the CSV record history --csv writes of its record, or as that record'), async () => {
    const store = await kit.writable();
    await recordAll(store, [aFinishedRun('a', at(0), 'success'), { ...aFinishedRun('a', at(10), 'failed'), command: ['sh', '-c', 'echo "a, b"'] },
      { ...aFinishedRun('b', at(20), 'timeout'), host: 'h,"\r\n', job: 'b,c' }, aRun('a', at(40))]);
    const csv = (r: CsvRun | RunRecord) => ('csvFields' in r ? historyCsvFields(r) : historyCsvRecord(r));
    for (const filter of [{}, { job: 'a' }, { statuses: ['failed' as const] }, { since: at(10), until: at(30) }, { limit: 2 }, { job: 'nobody' }]) {
      const seen: string[] = [];
      for await (const run of store.reads.eachCsv(filter)) seen.push(csv(run));
      assert.deepEqual(seen, (await store.reads.list(filter)).map(historyCsvRecord), JSON.stringify(filter));
    }
    for await (const run of store.reads.eachCsv({})) if (run) break;
    assert.equal((await store.reads.list({})).length, 4);
  });

  test(name('findByPrefix: every run the prefix starts, at most `limit`, with output'), async () => {
    const store = await kit.writable();
    const runs = ['abcd0001', 'abcd0002', 'abce0003'].map((p, i) => aFinishedRun('p', at(i), 'success', 5)).map((r, i) => ({
      ...r, id: `${['abcd0001', 'abcd0002', 'abce0003'][i]}-0000-4000-8000-000000000000`,
    }));
    await recordAll(store, runs);
    assert.equal((await store.reads.findByPrefix('abcd', 10)).length, 2);
    assert.equal((await store.reads.findByPrefix('abcd', 1)).length, 1);
    assert.deepEqual((await store.reads.findByPrefix('abce', 10)).map((r) => r.id), [runs[2]?.id]);
    assert.deepEqual(await store.reads.findByPrefix('ffff', 10), []);
    assert.ok((await store.reads.findByPrefix('abce', 10))[0]?.attempts[0]?.output instanceof Buffer);
  });

  test(name('stats: finished runs only (not running, not skipped), failures by status, nearest-rank percentiles, since'), async () => {
    const store = await kit.writable();
    await recordAll(store, [
      aFinishedRun('s', at(0), 'success', 100), aFinishedRun('s', at(1), 'success', 300), aFinishedRun('s', at(2), 'failed', 200),
      aFinishedRun('s', at(3), 'lost', 400), aFinishedRun('s', at(4), 'skipped', 1), aRun('s', at(5)),
      aFinishedRun('t', at(6), 'error', 50),
    ]);
    const [s, t] = await store.reads.stats({});
    assert.deepEqual(s, {
      job: 's', runs: 4, successes: 2, failures: { failed: 1, timeout: 0, killed: 0, error: 0, lost: 1 }, p50Ms: 200, p95Ms: 400, maxMs: 400,
    });
    assert.equal(t?.failures['error'], 1);
    assert.deepEqual((await store.reads.stats({ job: 's', since: at(2) })).map((x) => x.runs), [2]);
    assert.deepEqual(await store.reads.stats({ job: 'nobody' }), []);
  });

  test(name('prune: counts and deletes finished runs that ended before the cutoff, with their attempts; never a running one'), async () => {
    const store = await kit.writable();
    const old = aFinishedRun('old', at(0), 'failed', 1000);
    old.attempts[0] = { ...old.attempts[0]!, output: Buffer.from('12345'), outputBytes: 5 };
    const fresh = aFinishedRun('old', at(100), 'success');
    const stillRunning = aRun('old', at(1));
    await recordAll(store, [old, fresh]);
    await store.runs.begin(stillRunning, null);
    assert.deepEqual(await store.prune.count(at(50)), { runs: 1, attempts: 1, outputBytes: 5 });
    assert.deepEqual(await store.prune.remove(at(50)), { runs: 1, attempts: 1, outputBytes: 5 });
    assert.deepEqual((await store.reads.list({ job: 'old' })).map((r) => r.id), [fresh.id, stillRunning.id]);
    assert.deepEqual(await store.prune.count(at(50)), { runs: 0, attempts: 0, outputBytes: 0 });
    await store.prune.vacuum();
    const size = await store.prune.sizeBytes();
    assert.ok(size === null || size > 0);
    await store.maintain();
    assert.equal((await store.reads.list({})).length, 2, 'maintenance loses nothing');
  });
}
