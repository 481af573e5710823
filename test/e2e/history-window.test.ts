import '../helpers/cjs-require.ts';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { seedRuns } from '../../bench/seed.ts';
import { cronguardJson, tempDir } from '../helpers/cli.ts';
import type { RunJson } from '../helpers/forensics.ts';

// Listings over all jobs look back through a growing window (store/sqlite/reads.ts). Real runs in a test
// are seconds apart; this database spreads 600 runs of jobs running every minute to once a day over
// months, so the window must grow, several times, before it holds a page. The oracle is --limit 0.
const dir = tempDir();
const db = join(dir, 'spread.db');
let all: RunJson[] = [];

before(async () => {
  seedRuns(db, { jobs: 6, runs: 600, spanDays: 600, seed: 7 });
  all = await cronguardJson<RunJson[]>(['history', '--limit', '0', '--json'], db);
  assert.equal(all.length, 600);
});

const ids = (runs: RunJson[]) => runs.map((r) => r.id);

test('a page over all jobs is the newest N of them all, however far back it reaches', async () => {
  for (const limit of [1, 50, 250, 599]) {
    assert.deepEqual(ids(await cronguardJson<RunJson[]>(['history', '--limit', String(limit), '--json'], db)), ids(all.slice(0, limit)), `--limit ${limit}`);
  }
});

test('filters that thin the window still find the newest matches', async () => {
  const failed = all.filter((r) => r.status === 'failed');
  assert.ok(failed.length > 0, 'the seed holds failures');
  assert.deepEqual(ids(await cronguardJson<RunJson[]>(['history', '--status', 'failed', '--limit', '5', '--json'], db)), ids(failed.slice(0, 5)));
  const until = (all[300] as RunJson).startedAt;
  assert.deepEqual(ids(await cronguardJson<RunJson[]>(['history', '--until', until, '--limit', '40', '--json'], db)),
    ids(all.filter((r) => r.startedAt < until).slice(0, 40)));
  const since = (all[450] as RunJson).startedAt;
  assert.deepEqual(ids(await cronguardJson<RunJson[]>(['history', '--since', since, '--limit', '1000', '--json'], db)), ids(all.slice(0, 451)));
});
