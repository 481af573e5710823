import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { test } from 'node:test';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite/schema.ts';
import { cronguard, cronguardJson, tempDir } from '../helpers/cli.ts';
import type { RunJson } from '../helpers/forensics.ts';

const dir = tempDir();

/** A database as cronguard 0.1 (schema version 1) left it, holding one failed run of two attempts. */
function versionOneDatabase(path: string): string {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(MIGRATIONS.find((m) => m.version === 1)?.sql ?? '');
  db.pragma('user_version = 1');
  const id = '0123abcd-0000-4000-8000-000000000001';
  db.prepare(`INSERT INTO jobs VALUES ('legacy', NULL, NULL, NULL, '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:00.000Z')`).run();
  db.prepare(`INSERT INTO runs VALUES (?, 'legacy', 'failed', 1, NULL, '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:09.000Z',
    '2024-05-01T10:00:09.000Z', 9000, 'old-host', 4242, '123', 4243, '["/bin/legacy"]', NULL, 10000, 30000, NULL)`).run(id);
  const attempt = db.prepare(`INSERT INTO attempts VALUES (?, ?, 'failed', 1, NULL, ?, ?, 1000, ?, NULL, ?)`);
  attempt.run(id, 1, '2024-05-01T10:00:00.000Z', '2024-05-01T10:00:01.000Z', 6, Buffer.from('first\n'));
  attempt.run(id, 2, '2024-05-01T10:00:08.000Z', '2024-05-01T10:00:09.000Z', 7, Buffer.from('second\n'));
  db.close();
  return id;
}

test('a version 1 database is migrated by the first read, every run and attempt kept', async () => {
  const path = join(dir, 'old.db');
  const id = versionOneDatabase(path);
  const [run] = await cronguardJson<RunJson[]>(['history', '--json'], path);
  assert.equal(run?.id, id);
  const shown = await cronguardJson<RunJson>(['show', '0123abcd', '--json'], path);
  assert.deepEqual(shown.attempts.map((a) => [a.n, a.outputBytes, a.output]), [[1, 6, 'first\n'], [2, 7, 'second\n']]);

  const db = new Database(path, { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    const indexes = db.prepare(`SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name IN ('runs', 'attempts') ORDER BY name`).pluck().all();
    assert.deepEqual(indexes, ['runs_by_job', 'runs_running'], 'the index on started_at and the UNIQUE index of attempts are gone');
    assert.match(db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'runs_by_job'`).pluck().get() as string, /\(job, started_at, status, duration_ms\)/);
    assert.match(db.prepare(`SELECT sql FROM sqlite_schema WHERE name = 'attempts'`).pluck().get() as string, /WITHOUT ROWID/);
  } finally {
    db.close();
  }
  // The migrated file takes new runs, and the primary key still refuses a duplicate attempt.
  assert.equal((await cronguard(['--db', path, '--name', 'legacy', '--', 'true'])).code, 0);
  assert.deepEqual((await cronguardJson<RunJson[]>(['history', 'legacy', '--json'], path)).map((r) => r.status), ['success', 'failed']);
  const raw = new Database(path);
  try {
    assert.throws(() => raw.prepare(`INSERT INTO attempts (run_id, n, status, started_at, output_bytes) VALUES (?, 1, 'failed', 'x', 0)`).run(id), /UNIQUE|PRIMARY KEY/);
  } finally {
    raw.close();
  }
});
