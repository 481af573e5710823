// The store contract kit against SQLite (each case gets a fresh file in a temp directory), and what only
// the SQLite backend promises about its own file.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { writeStore } from '../helpers/store.ts';
import { storeContract } from './kit.ts';
import { aFinishedRun, at, recordAll } from './records.ts';

const dir = tempDir('cronguard-contract-');
let n = 0;
storeContract('sqlite', { fresh: async () => join(dir, `contract-${++n}.db`) });

test('sqlite store: prune leaves no attempt rows behind its runs', async () => {
  const db = join(dir, 'orphans.db');
  await writeStore(db, async (store) => {
    await recordAll(store, [aFinishedRun('o', at(0), 'failed'), aFinishedRun('o', at(1), 'success'), aFinishedRun('o', at(100), 'success')]);
    assert.equal((await store.prune.remove(at(50))).runs, 2);
  });
  assert.equal(query(db, 'SELECT 1 FROM attempts').length, 1);
  assert.equal(query(db, 'SELECT 1 FROM attempts WHERE run_id NOT IN (SELECT id FROM runs)').length, 0);
});
