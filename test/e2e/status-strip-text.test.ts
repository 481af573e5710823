import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { test } from 'node:test';
import '../helpers/cjs-require.ts';
import { prng } from '../../bench/prng.ts';
import { cronEnv, cronguard, tempDir } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';

// run_latest keeps each job's status strip as letters and durations (sqlite/run-latest.ts); a file written
// before migration 27 keeps JSON pairs until each job's next write. Status must read both alike, and let
// nothing but strip letters through from either.
const dir = tempDir();

const COLUMNS = 'id, job, status, exit_code, signal, started_at, heartbeat_at, ended_at, duration_ms, host, pid, pid_start, pgid, command, timeout_ms, kill_after_ms, heartbeat_ms, reason';

/** The JSON strips an older cronguard kept: each job's 40 latest runs, newest first, as [status, duration] pairs. */
const JSON_STRIPS = `UPDATE run_latest SET recent = (SELECT json_group_array(json_array(
    CASE WHEN typeof(status) = 'blob' THEN NULL ELSE status END, CASE WHEN typeof(duration_ms) = 'blob' THEN NULL ELSE duration_ms END))
  FROM (SELECT status, duration_ms FROM runs AS r WHERE r.job = run_latest.job ORDER BY r.started_at DESC LIMIT 40))`;

/** status in a pipe, `columns` wide (none: no limit). */
async function status(path: string, columns?: number): Promise<string> {
  const result = await cronguard(['status', '--db', path], { env: cronEnv(columns === undefined ? {} : { COLUMNS: String(columns) }) });
  assert.equal(result.code, 0, result.stderr);
  return result.out;
}

test('strips kept as JSON (before migration 27) and as text show the same status, ties and odd rows included; a write keeps them as text', async () => {
  const path = join(dir, 'strips.db');
  assert.equal((await cronguard(['--db', path, '--name', 'first', '--', 'true'])).code, 0);
  const db = new Database(path);
  try {
    const insert = db.prepare(`INSERT INTO runs (${COLUMNS}) VALUES (?, ?, ?, NULL, NULL, ?, ?, NULL, ?, 'h1', 1, NULL, NULL, '[]', NULL, 10000, 30000, NULL)`);
    const random = prng(26);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    // Few distinct times, so that ties are common; statuses and durations of every kind a row may hold.
    const statuses: unknown[] = ['success', 'failed', 'timeout', 'killed', 'error', 'lost', 'skipped', 'running', 'nonsense'];
    const durations: unknown[] = [null, 0, 7, 1500, 86_400_000, -3, 2.5, 'text', Buffer.from('x')];
    for (let j = 0; j < 9; j++) db.prepare(`INSERT INTO jobs VALUES (?, NULL, NULL, NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`).run(`job-${j}`);
    for (let i = 0; i < 600; i++) {
      const at = `2026-01-01T00:${String(Math.floor(random() * 30)).padStart(2, '0')}:00.000Z`;
      insert.run(`run-${i}`, `job-${i % 9}`, pick(statuses), at, at, pick(durations));
    }
  } finally {
    db.close();
  }
  const widths = [undefined, 60, 90, 200];
  const asText = await Promise.all(widths.map((w) => status(path, w)));
  assert.match(asText[0] ?? '', /^job-0 +[sFTKEL\-R?]{20} /m);
  assert.deepEqual(query(path, `SELECT count(*) AS n FROM run_latest WHERE recent LIKE '[%'`), [{ n: 0 }]);
  const old = new Database(path);
  old.exec(JSON_STRIPS);
  old.close();
  assert.deepEqual(query(path, `SELECT count(*) AS n FROM run_latest WHERE recent NOT LIKE '[%'`), [{ n: 0 }]);
  assert.deepEqual(await Promise.all(widths.map((w) => status(path, w))), asText);
  // A job's next write keeps its strip as text again; the others still read as JSON.
  assert.equal((await cronguard(['--db', path, '--name', 'job-3', '--', 'true'])).code, 0);
  assert.deepEqual(query(path, `SELECT job FROM run_latest WHERE recent NOT LIKE '[%'`), [{ job: 'job-3' }]);
});

test('a strip row written by someone else shows only strip letters and sparks, never its own text', async () => {
  const path = join(dir, 'planted.db');
  for (const job of ['a', 'b']) assert.equal((await cronguard(['--db', path, '--name', job, '--', 'true'])).code, 0);
  const db = new Database(path);
  db.prepare(`UPDATE run_latest SET recent = ? WHERE job = 'a'`).run('s\u001b[2JF\u009b1m\u202e 5,x,7,,9');
  db.prepare(`UPDATE run_latest SET recent = ? WHERE job = 'b'`).run('sF');
  db.close();
  const out = await status(path);
  assert.doesNotMatch(out, /[\u001b\u009b\u202e]/);
  // The strip and sparkline columns, ten cells each (the longest strip's), read by the header's positions.
  const [header = '', ...rows] = out.split('\n');
  const cells = (job: string) => {
    const row = rows.find((l) => l.startsWith(`${job} `)) ?? '';
    return [row.slice(header.indexOf('RUNS'), header.indexOf('RUNS') + 10), row.slice(header.indexOf('TREND'), header.indexOf('TREND') + 10)];
  };
  // Each character a letter or '?'; the durations aligned from the newest: 5, x (none), 7, '' (none), 9.
  assert.deepEqual(cells('a'), ['s????F????', '     ▁ ▅ █']);
  assert.deepEqual(cells('b'), ['        sF', '          ']);
});
