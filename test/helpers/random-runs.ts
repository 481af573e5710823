// Random histories for comparing the SQLite day summaries (src/store/sqlite/run-days.ts) with the direct
// queries they stand in for: runs of every status with malformed times and durations, and random writes of
// every kind cronguard or another writer of the file makes.
import './cjs-require.ts';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { prng } from '../../bench/prng.ts';
import { openDatabase, type SqliteDatabase } from '../../src/store/sqlite/database.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { runDaysPending, settleRunDays } from '../../src/store/sqlite/run-days.ts';
import { MIGRATIONS } from '../../src/store/sqlite/schema.ts';

export const JOBS = ['backup', 'report', 'sync', 'dump db', 'rückblick'];
export const STATUSES = ['success', 'success', 'success', 'failed', 'timeout', 'killed', 'error', 'lost', 'running', 'skipped', 'weird'];
/** Start times: plain ones over a few days around a month's end, and malformed ones (each lands in a "day" of its own). */
export const STARTS: Array<(r: () => number) => unknown> = [
  (r) => `2026-11-${pick(r, ['28', '29', '30'])}T${pick(r, ['00', '11', '23'])}:${pick(r, ['00', '13', '59'])}:0${Math.floor(r() * 10)}.${Math.floor(r() * 900) + 100}Z`,
  (r) => `2026-12-01T0${Math.floor(r() * 10)}:00:00.000Z`,
  () => '2026-11-30T23:00:13.undefinedZ',
  () => '2026-11-31T10:00:00.000Z',
  () => '2026-11-3',
  () => '2026-11-30',
  () => '',
  () => 'garbage',
  () => '２０２６-11-30T10:00:00.000Z',
  () => '2026-11-30\u00e9T10',
  () => Buffer.from('2026-11-30T12:00:00.000Z'),
];
export const DURATIONS: Array<(r: () => number) => unknown> = [
  (r) => Math.floor(r() * 100_000), (r) => Math.floor(r() * 1000), () => null, () => 1.5, () => 'abc', () => -3, () => 1e20, () => 2 ** 60,
];
export const pick = <T>(r: () => number, list: readonly T[]): T => list[Math.floor(r() * list.length)] as T;

/** A schema-21 file (before the summaries) holding `runs` random runs. */
export function version21(path: string, r: () => number, runs: number): void {
  const db = new Database(path);
  db.function('cronguard_channel_fingerprint', (_channel: unknown) => null);
  for (const m of MIGRATIONS.filter((x) => x.version <= 21)) db.exec(m.sql);
  db.pragma('user_version = 21');
  for (let i = 0; i < runs; i++) insertRun(db, r, 'INSERT');
  db.close();
}

let ids = 0;
/** Inserts (or replaces, as the spool intake does) one random run. */
export function insertRun(db: Database.Database | SqliteDatabase, r: () => number, verb: string, id = `run-${ids++}`): void {
  db.prepare(`${verb} INTO runs (id, job, status, started_at, heartbeat_at, ended_at, duration_ms, host, pid, command, kill_after_ms, heartbeat_ms)
    VALUES (?, ?, ?, ?, '2026-11-30T00:00:00.000Z', ?, ?, ?, 1, '["x"]', 1000, 1000)`)
    .run(id, pick(r, JOBS), pick(r, STATUSES), pick(r, STARTS)(r), r() < 0.5 ? '2026-11-01T00:00:00.000Z' : null, pick(r, DURATIONS)(r), pick(r, ['h1', 'h2']));
}

/** One random write of the kinds cronguard (or another writer of the file) makes. */
export async function randomWrite(db: SqliteDatabase, path: string, r: () => number): Promise<string> {
  const some = () => db.prepare('SELECT id FROM runs ORDER BY id LIMIT 1 OFFSET ?').pluck().get(Math.floor(r() * 40)) as string | undefined;
  const choice = Math.floor(r() * 9);
  if (choice <= 2) insertRun(db, r, 'INSERT');
  else if (choice === 3) insertRun(db, r, 'INSERT OR REPLACE', some() ?? 'run-none');
  else if (choice === 4) db.prepare(`UPDATE runs SET ${pick(r, ['status', 'job', 'started_at', 'duration_ms'])} = ? WHERE id = ?`)
    .run(pick(r, [pick(r, STATUSES), pick(r, JOBS), pick(r, STARTS)(r), pick(r, DURATIONS)(r)]), some() ?? '');
  else if (choice === 5) db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run('2026-12-02T00:00:00.000Z', some() ?? '');
  else if (choice === 6) db.prepare('DELETE FROM runs WHERE id = ?').run(some() ?? '');
  else {
    const store = openSqliteStore(path, false);
    try {
      if (choice === 7) await store.prune.remove(pick(r, ['2026-11-29T12:00:00.000Z', '2026-11-30T12:00:00.000Z']));
      else await store.prune.forget(pick(r, JOBS), false);
    } finally {
      store.close();
    }
    return choice === 7 ? 'prune' : 'forget';
  }
  return `write ${choice}`;
}


/**
 * A random history's life: a schema-21 file of `runs` runs upgraded (its summaries pending), settled, 60
 * random writes with a settle now and then, a last settle; `check` compares the two paths at each point
 * (after every third write). The file is left open for the caller to look at and close.
 */
export async function randomHistory(path: string, seed: number, runs: number, check: (db: SqliteDatabase, when: string) => unknown): Promise<SqliteDatabase> {
  const r = prng(seed);
  version21(path, r, runs);
  const db = openDatabase(path, false);
  assert.equal(runDaysPending(db), true, 'an upgraded file with runs waits for its first settle');
  await check(db, 'pending');
  settleRunDays(db);
  assert.equal(runDaysPending(db), false);
  await check(db, 'first settle');
  for (let step = 0; step < 60; step++) {
    const what = await randomWrite(db, path, r);
    if (r() < 0.2) settleRunDays(db);
    if (step % 3 === 0) await check(db, `step ${step} (${what})`);
  }
  settleRunDays(db);
  await check(db, 'settled at the end');
  return db;
}
