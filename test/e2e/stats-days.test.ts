// stats over the per-day summaries (SQLite): an upgraded file answers from its runs until a sweep builds
// them, and the same afterwards; writes made since the last sweep (a run, prune, forget) count at once.
// `stats --host` always reads runs directly, so with every run on one host it is the reference answer.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { test } from 'node:test';
import { MIGRATIONS } from '../../src/store/sqlite/schema.ts';
import { cronguard, cronguardJson, tempDir } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';

const dir = tempDir();
const db = join(dir, 'old.db');
const HOUR = 3_600_000;
const now = Date.now();
/** Since times well clear of the runs' starts (on the hour plus a few seconds), so the answers cannot drift while the test runs. */
const ago = (hours: number) => new Date(now - hours * HOUR - 30 * 60_000).toISOString();
const STATUSES = ['success', 'success', 'failed', 'timeout', 'success', 'lost', 'skipped', 'error', 'success', 'killed'];

/** A file as cronguard left it at schema 21 (before the summaries): 240 runs of three jobs over ten days, one host. */
function version21(path: string): void {
  const file = new Database(path);
  file.pragma('journal_mode = WAL');
  file.function('cronguard_channel_fingerprint', (_channel: unknown) => null);
  for (const m of MIGRATIONS.filter((x) => x.version <= 21)) file.exec(m.sql);
  file.pragma('user_version = 21');
  const insert = file.prepare(`INSERT INTO runs (id, job, status, started_at, heartbeat_at, ended_at, duration_ms, host, pid, command, kill_after_ms, heartbeat_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, 'old-host', 1, '["x"]', 1000, 1000)`);
  for (let i = 0; i < 240; i++) {
    const start = new Date(now - (i + 1) * HOUR + (i % 7) * 1000).toISOString();
    const status = STATUSES[i % STATUSES.length] as string;
    insert.run(`run-${i}`, ['backup', 'report', 'sync'][i % 3], status, start, start, start, status === 'lost' ? null : 1000 + ((i * 7919) % 5000));
  }
  file.close();
}

/** stats --json for these arguments, from the summaries and straight from runs (--host). */
async function bothWays(...args: string[]): Promise<[unknown, unknown]> {
  return [await cronguardJson(['stats', ...args, '--json'], db), await cronguardJson(['stats', ...args, '--host', 'old-host', '--json'], db)];
}

const ASKED = [[], ['--since', ago(72)], ['--since', ago(36)], ['sync'], ['sync', '--since', ago(48)], ['--since', ago(1)]];

test('an upgraded file: stats reads its runs until the first sweep builds the day summaries, with the same answers', async () => {
  version21(db);
  const before = await Promise.all(ASKED.map((args) => cronguardJson(['stats', ...args, '--json'], db)));
  assert.deepEqual(query(db, 'SELECT count(*) AS n FROM run_days_pending'), [{ n: 1 }], 'the upgrade only marks the summaries as to be built');
  assert.deepEqual(query(db, 'SELECT count(*) AS n FROM run_days'), [{ n: 0 }]);
  assert.equal((before[0] as Array<{ runs: number }>).reduce((n, s) => n + s.runs, 0), 216, 'every finished run (not the skipped ones)');

  assert.ok([0, 1].includes((await cronguard(['sweep', '--crontab', '/dev/null', '--db', db])).code ?? -1), 'swept');
  assert.deepEqual(query(db, 'SELECT count(*) AS n FROM run_days_pending'), [{ n: 0 }]);
  assert.ok((query<{ n: number }>(db, 'SELECT count(*) AS n FROM run_days')[0]?.n ?? 0) >= 30, 'a summary per job and day');
  assert.deepEqual(query(db, 'SELECT count(*) AS n FROM run_days_dirty'), [{ n: 0 }]);
  const after = await Promise.all(ASKED.map((args) => cronguardJson(['stats', ...args, '--json'], db)));
  assert.deepEqual(after, before);
});

test('a run, prune and forget count in stats at once, before any sweep', async () => {
  assert.equal((await cronguard(['--db', db, '--name', 'sync', '--', 'true'])).code, 0);
  // The new run's host is this one: only old-host's runs are comparable through --host.
  assert.deepEqual(query(db, 'SELECT job FROM run_days_dirty'), [{ job: 'sync' }]);
  const sync = await cronguardJson<Array<{ runs: number }>>(['stats', 'sync', '--json'], db);
  const old = await cronguardJson<Array<{ runs: number }>>(['stats', 'sync', '--host', 'old-host', '--json'], db);
  assert.equal(sync[0]?.runs, (old[0]?.runs ?? 0) + 1);
  assert.equal((await cronguard(['forget', 'sync', '--db', db])).code, 0);
  assert.deepEqual((await cronguardJson<Array<{ job: string }>>(['stats', '--json'], db)).map((s) => s.job), ['backup', 'report']);
  assert.deepEqual(...await bothWays('--since', ago(72)));

  assert.equal((await cronguard(['prune', '--older-than', '4d', '--db', db])).code, 0);
  for (const args of ASKED) {
    const [ours, direct] = await bothWays(...args);
    assert.deepEqual(ours, direct, `stats ${args.join(' ')}`);
  }
  assert.equal((await cronguardJson<Array<{ runs: number }>>(['stats', '--json'], db)).reduce((n, s) => n + s.runs, 0) < 100, true, 'pruned');
});
