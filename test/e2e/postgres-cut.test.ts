// Connections cut under running jobs, over and over, on a real PostgreSQL server: whatever the client library
// does when its socket goes away, the job's exit code stays the job's (postgres.js 3.4.9 could throw from a
// timer on a write to a closed socket and kill the wrapper; tools/build-postgres.mjs guards it).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronEnv, cronguard, tempDir } from '../helpers/cli.ts';
import { type PgCluster, postgresMissing, startCluster } from '../helpers/postgres.ts';

const missing = postgresMissing();
const dir = tempDir();
const pg = (missing ? null : await startCluster()) as PgCluster;

test('backends terminated again and again while jobs run: every wrapper exits with its job\'s code', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  const name = new URL(db).pathname.slice(1);
  const env = cronEnv({ CRONGUARD_DB: db, CRONGUARD_SPOOL_DIR: join(dir, 'spool') });
  assert.equal((await cronguard(['--name', 'warm', '--', 'true'], { env })).code, 0); // creates the schema
  const admin = pg.admin();
  let cutting = true;
  let cuts = 0;
  const cutter = (async () => {
    while (cutting) {
      const cut = await admin`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = ${name} AND pid <> pg_backend_pid()`;
      cuts += cut.length;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  try {
    const jobs = await Promise.all(Array.from({ length: 12 }, (_, i) => cronguard(
      ['--name', `cut${i % 3}`, '--heartbeat', '1s', '--', 'sh', '-c', `sleep ${1 + (i % 4) * 0.5}; exit 7`], { env, limitMs: 120_000 })));
    for (const r of jobs) {
      assert.equal(r.code, 7, r.stderr);
      assert.doesNotMatch(r.stderr, /TypeError|internal error|at .*\.cjs/, r.stderr);
    }
  } finally {
    cutting = false;
    await cutter;
  }
  assert.ok(cuts > 0, 'no connection was cut');
});
