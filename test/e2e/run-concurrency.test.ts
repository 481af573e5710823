import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, tempDir } from '../helpers/cli.ts';
import { recordedRuns } from '../helpers/store.ts';

test('100 cronguard processes starting at once on a fresh database all record their runs, silently', async () => {
  const db = join(tempDir(), 'cg.db');
  const results = await Promise.all(Array.from({ length: 100 }, (_, i) =>
    cronguard(['--db', db, '--name', `job${i % 10}`, '--', 'true'], { limitMs: 120_000 })));
  assert.deepEqual(results.filter((r) => r.code !== 0 || r.stderr !== '').map((r) => r.stderr), []);
  const runs = await recordedRuns(db);
  assert.equal(runs.length, 100);
  assert.ok(runs.every((r) => r.status === 'success'));
  assert.equal(runs.flatMap((r) => r.attempts).length, 100);
});
