// The SQLite backend's day summaries (src/store/sqlite/run-days.ts) against the direct query they stand in
// for: random histories with malformed rows, random writes of every kind, settled at random points. A store
// test rather than a CLI one: it compares two paths inside one store thousands of times.
import '../helpers/cjs-require.ts';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { prng } from '../../bench/prng.ts';
import { seedData } from '../../bench/seed.ts';
import { bulkInsert } from '../../src/store/sqlite/bulk.ts';
import { openDatabase, type SqliteDatabase } from '../../src/store/sqlite/database.ts';
import { sqliteRunWriter } from '../../src/store/sqlite/runs.ts';
import { runDaysPending, settleRunDays } from '../../src/store/sqlite/run-days.ts';
import { jobStats } from '../../src/store/sqlite/stats.ts';
import { tempDir } from '../helpers/cli.ts';
import { insertRun, JOBS, randomHistory } from '../helpers/random-runs.ts';

const dir = tempDir();

/** Since values: plain ones on each side of the days (one at the very start of a malformed time's second), and odd ones. */
const SINCES = [undefined, '2026-11-29T11:00:00.000Z', '2026-11-30T00:00:00.000Z', '2026-11-30T23:00:13.000Z',
  '2026-12-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z', '2099-01-01T00:00:00.000Z', '2026-11-3', 'zzzzzzzzzz'];

/** stats as a script sees it, or the error it fails with. */
function answer(db: SqliteDatabase, filter: { job?: string; since?: string }, direct: boolean): string {
  try {
    return JSON.stringify(jobStats(db, filter, direct));
  } catch (error) {
    return `error: ${(error as Error).message}`;
  }
}

/** Every filter answers the same from the summaries as straight from runs. */
function assertSame(db: SqliteDatabase, when: string): void {
  for (const since of SINCES) {
    for (const job of [undefined, ...JOBS, 'nobody']) {
      const filter = { ...(since !== undefined ? { since } : {}), ...(job !== undefined ? { job } : {}) };
      assert.equal(answer(db, filter, false), answer(db, filter, true), `${when}: stats ${JSON.stringify(filter)}`);
    }
  }
}

for (const seed of [1, 2, 3, 4, 5, 6]) {
  test(`stats from the day summaries equal stats from runs, whatever was written (seed ${seed})`, async () => {
    const db = await randomHistory(join(dir, `seed-${seed}.db`), seed, 60, assertSame);
    try {
      // Only a day holding a duration JSON cannot hold stays dirty (the next test).
      assert.equal(db.prepare(`SELECT count(*) FROM run_days_dirty k WHERE NOT EXISTS (SELECT 1 FROM runs r
        WHERE r.job = k.job AND substr(r.started_at, 1, 10) IS k.day AND typeof(r.duration_ms) = 'blob')`).pluck().get(), 0, 'a settle leaves no day dirty');
    } finally {
      db.close();
    }
  });
}

test('a duration JSON cannot hold leaves its day dirty: stats fails as the direct query does, and settling goes on', () => {
  const path = join(dir, 'blob.db');
  const db = openDatabase(path, false);
  try {
    const r = prng(7);
    for (let i = 0; i < 20; i++) insertRun(db, r, 'INSERT');
    db.prepare(`UPDATE runs SET status = 'success', started_at = '2026-11-30T10:00:00.000Z', duration_ms = x'0102' WHERE id = (SELECT min(id) FROM runs)`).run();
    settleRunDays(db);
    assert.deepEqual(db.prepare('SELECT job, day FROM run_days_dirty').raw().all(),
      db.prepare(`SELECT job, '2026-11-30' FROM runs WHERE typeof(duration_ms) = 'blob'`).raw().all());
    assertSame(db, 'with a BLOB duration');
    assert.match(answer(db, {}, false), /^error: JSON cannot hold BLOB values/);
  } finally {
    db.close();
  }
});

test('a bulk load (without the triggers) marks the summaries to be rebuilt: the same answers before and after the settle', () => {
  const path = join(dir, 'bulk.db');
  const db = openDatabase(path, false);
  const r = prng(8);
  for (let i = 0; i < 30; i++) insertRun(db, r, 'INSERT');
  settleRunDays(db);
  db.close();
  const data = seedData({ jobs: 4, runs: 400, now: new Date('2026-12-01T06:00:00.000Z'), spanDays: 3 });
  bulkInsert(path, data.jobs, data.runs);
  const after = openDatabase(path, false);
  try {
    assert.equal(runDaysPending(after), true);
    assert.equal(after.prepare("SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name LIKE 'run_days_%'").pluck().get(), 4, 'the triggers are back');
    assertSame(after, 'after a bulk load');
    settleRunDays(after);
    assertSame(after, 'settled after a bulk load');
  } finally {
    after.close();
  }
});

test('on the run path only a run\'s end marks its day: its start and heartbeats write nothing more', async () => {
  const db = openDatabase(join(dir, 'run-path.db'), false);
  try {
    const dirty = () => db.prepare('SELECT job, day FROM run_days_dirty').raw().all();
    const at = '2026-11-30T10:00:00.000Z';
    const writer = sqliteRunWriter(db);
    await writer.begin({ id: 'run-a', job: 'backup', status: 'running', exitCode: null, signal: null, startedAt: at, heartbeatAt: at,
      endedAt: null, durationMs: null, host: 'h1', pid: 1, pidStart: null, pgid: null, command: ['x'], timeoutMs: null,
      killAfterMs: 1000, heartbeatMs: 1000, reason: null, attempts: [] }, null);
    await writer.heartbeat('run-a', '2026-11-30T10:00:30.000Z');
    assert.deepEqual(dirty(), []);
    await writer.finish('run-a', { status: 'success', exitCode: 0, signal: null, endedAt: '2026-11-30T10:01:00.000Z', durationMs: 60_000, reason: null });
    assert.deepEqual(dirty(), [['backup', '2026-11-30']]);
    assertSame(db, 'after one run');
  } finally {
    db.close();
  }
});
