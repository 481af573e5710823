// The contract's aggregates for pictures: status strips, the stats histogram and the HTML report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketOf, bucketPercentile } from '../../src/shared/duration-buckets.ts';
import type { Kit } from './kit.ts';
import { aFinishedRun, aRun, at, recordAll } from './records.ts';

export function reportContract(kit: Kit): void {
  const name = (what: string) => `${kit.name} store: ${what}`;
  const day = (d: number) => ({ from: at(d * 1440), to: at((d + 1) * 1440) });

  test(name('lastRuns: each job\'s latest runs, oldest first, at most `limit`; an unknown job has none'), async () => {
    const store = await kit.writable();
    await recordAll(store, [aFinishedRun('a', at(0), 'success', 10), aFinishedRun('a', at(1), 'failed', 20), aFinishedRun('a', at(2), 'timeout', 30)]);
    await store.runs.begin(aRun('a', at(3)), null);
    const runs = await store.report.lastRuns(['a', 'nobody'], 3);
    assert.deepEqual(runs.get('a'), { letters: 'FTR', durations: [20, 30, null] });
    assert.deepEqual(runs.get('nobody'), { letters: '', durations: [] });
  });

  test(name('periods: per job and period the runs, the worst status and the failures, timeouts and kills'), async () => {
    const store = await kit.writable();
    await recordAll(store, [
      aFinishedRun('a', at(10), 'success'), aFinishedRun('a', at(20), 'failed'), aFinishedRun('a', at(30), 'timeout'),
      aFinishedRun('a', at(1440 + 5), 'success'), aFinishedRun('a', at(1440 + 6), 'skipped'), aFinishedRun('a', at(2 * 1440 + 5), 'killed'),
      aFinishedRun('b', at(1440 + 1), 'lost'), aFinishedRun('a', at(5 * 1440), 'failed'),
    ]);
    const periods = [day(0), day(1), day(2)];
    const rows = (await store.report.periods(periods)).sort((x, y) => x.job.localeCompare(y.job) || x.period - y.period);
    const d = (p50Ms: number | null, p95Ms = p50Ms, maxMs = p95Ms) => ({ p50Ms, p95Ms, maxMs });
    assert.deepEqual(rows, [
      { job: 'a', period: 0, runs: 3, worst: 'failed', failures: 1, timeouts: 1, killed: 0, ...d(1000) },
      // The skipped run counts as a run of the day, not in its durations.
      { job: 'a', period: 1, runs: 2, worst: 'success', failures: 0, timeouts: 0, killed: 0, ...d(1000) },
      { job: 'a', period: 2, runs: 1, worst: 'killed', failures: 0, timeouts: 0, killed: 1, ...d(1000) },
      { job: 'b', period: 1, runs: 1, worst: 'lost', failures: 1, timeouts: 0, killed: 0, ...d(1000) },
    ]);
    assert.deepEqual((await store.report.periods(periods, 'b')).map((r) => r.job), ['b']);
  });

  test(name('--host: lastRuns, periods and durationBuckets count only that host\'s runs; without one, every host\'s'), async () => {
    const store = await kit.writable();
    const on = (host: string, run: ReturnType<typeof aFinishedRun>) => ({ ...run, host });
    await recordAll(store, [
      on('web1', aFinishedRun('h', at(0), 'success', 10)), on('web2', aFinishedRun('h', at(1), 'failed', 5000)),
      on('web1', aFinishedRun('h', at(2), 'success', 20)), on('web2', aFinishedRun('h', at(3), 'timeout', 70_000)),
    ]);
    assert.deepEqual((await store.report.lastRuns(['h'], 10, 'web1')).get('h'), { letters: 'ss', durations: [10, 20] });
    assert.deepEqual((await store.report.lastRuns(['h'], 10)).get('h')?.letters, 'sFsT');
    assert.deepEqual(await store.report.lastRuns(['h'], 10, 'nowhere'), new Map([['h', { letters: '', durations: [] }]]));
    const [web2] = await store.report.periods([day(0)], 'h', 'web2');
    assert.deepEqual([web2?.runs, web2?.worst, web2?.failures, web2?.timeouts, web2?.maxMs], [2, 'failed', 1, 1, 70_000]);
    assert.equal((await store.report.periods([day(0)], undefined, 'web1'))[0]?.runs, 2);
    assert.equal((await store.report.periods([day(0)]))[0]?.runs, 4);
    const count = async (host?: string) => (await store.report.durationBuckets([day(0)], 'h', host)).reduce((n, b) => n + b.runs, 0);
    assert.deepEqual([await count('web1'), await count('web2'), await count(), await count('nowhere')], [2, 2, 4, 0]);
    assert.deepEqual((await store.report.durationBuckets([day(0)], 'h', 'web1')).map((b) => b.bucket), [...new Set([10, 20].map(bucketOf))].sort((x, y) => x - y));
  });

  test(name('periods: nearest-rank p50 and p95 of the finished runs, as stats gives them'), async () => {
    const store = await kit.writable();
    const durations = Array.from({ length: 23 }, (_, i) => (i * 37) % 101 + 1);
    await recordAll(store, durations.map((ms, i) => aFinishedRun('p', at(i), i % 5 ? 'success' : 'failed', ms)));
    await recordAll(store, [aFinishedRun('p', at(30), 'skipped', 100_000)]);
    const [row] = await store.report.periods([day(0)]);
    const [stats] = await store.reads.stats({ job: 'p' });
    assert.deepEqual([row?.p50Ms, row?.p95Ms, row?.maxMs], [stats?.p50Ms, stats?.p95Ms, stats?.maxMs]);
    assert.equal(row?.runs, 24);
  });

  test(name('durationBuckets: finished durations per period in logarithmic buckets, from which percentiles are read'), async () => {
    const store = await kit.writable();
    const durations = [5, 100, 110, 1000, 60_000];
    await recordAll(store, durations.map((ms, i) => aFinishedRun('d', at(i), i === 1 ? 'failed' : 'success', ms)));
    await recordAll(store, [aFinishedRun('d', at(10), 'skipped', 1), aFinishedRun('e', at(11), 'success', 7)]);
    await store.runs.begin(aRun('d', at(12)), null);
    const buckets = await store.report.durationBuckets([day(0)], 'd');
    assert.deepEqual(buckets.map((b) => b.bucket), [...new Set(durations.map(bucketOf))].sort((x, y) => x - y));
    assert.equal(buckets.reduce((n, b) => n + b.runs, 0), 5);
    assert.equal(bucketPercentile(buckets, 50), 110);
    assert.equal(bucketPercentile(buckets, 95), 60_000);
    const everyJob = await store.report.durationBuckets([day(0)]);
    assert.deepEqual([everyJob.filter((b) => b.job === 'd').length, everyJob.filter((b) => b.job === 'e').length], [buckets.length, 1]);
  });

  test(name('recentFailures: the latest failures since a time, per job at most N, with the tail of the last attempt'), async () => {
    const store = await kit.writable();
    const failed = aFinishedRun('f', at(5), 'failed');
    failed.attempts[0] = { ...failed.attempts[0]!, output: Buffer.from('0123456789'), outputBytes: 10 };
    await recordAll(store, [aFinishedRun('f', at(1), 'timeout'), failed, aFinishedRun('f', at(6), 'success'), aFinishedRun('f', at(0), 'error')]);
    const tails = await store.report.recentFailures(at(1), 5, 4);
    assert.deepEqual(tails.map((t) => [t.id, t.status, Buffer.from(t.tail).toString(), t.outputBytes]), [
      [failed.id, 'failed', '6789', 10], [tails[1]?.id, 'timeout', '', 0],
    ]);
    assert.equal((await store.report.recentFailures(at(0), 1, 4)).length, 1);
  });

  test(name('latestHosts: each job with runs and the host of its latest run; open problems'), async () => {
    const store = await kit.writable();
    await recordAll(store, [
      { ...aFinishedRun('h', at(1), 'failed'), host: 'web-1' }, { ...aFinishedRun('h', at(3), 'success'), host: 'web-2' },
      { ...aFinishedRun('i', at(2), 'timeout'), host: 'web-1' },
    ]);
    assert.deepEqual((await store.report.latestHosts()).sort((x, y) => x.job.localeCompare(y.job)), [{ job: 'h', host: 'web-2' }, { job: 'i', host: 'web-1' }]);
    assert.deepEqual(await store.report.openProblems(), []);
  });
}
