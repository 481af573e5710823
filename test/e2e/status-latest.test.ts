import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import '../helpers/cjs-require.ts';
import { prng } from '../../bench/prng.ts';
import { bulkInsert } from '../../src/store/sqlite/bulk.ts';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite/schema.ts';
import { spoolLine } from '../../src/store/spool.ts';
import { STRIP_LETTERS } from '../../src/shared/strip-letters.ts';
import type { RunRecord } from '../../src/shared/types.ts';
import { cronguard, cronguardJson, tempDir } from '../helpers/cli.ts';
import { query } from '../helpers/db.ts';
import { readStore } from '../helpers/store.ts';

// SQLite keeps each job's latest run in run_latest, by triggers on runs (sqlite/run-latest.ts); status and
// sweep read it. Whatever writes runs, it must hold the row the direct query picks.
const dir = tempDir();

interface Latest { job: string; id: string; status: string; started_at: string; duration_ms: number | null; host: string }

/** Each job's latest run by the query status used before run_latest (ties broken as it breaks them). */
const REFERENCE = `SELECT j.value AS job, r.id, r.status, r.started_at, r.duration_ms, r.host
  FROM json_each((SELECT json_group_array(DISTINCT job) FROM runs)) AS j
  JOIN runs AS r ON r.id = (SELECT id FROM runs WHERE job = j.value AND (@host IS NULL OR host = @host) ORDER BY started_at DESC LIMIT 1)
  ORDER BY j.value`;

/** Each job's strip (its 40 latest runs, newest first, as JSON) and where it begins, walked from the runs. */
const REFERENCE_STRIPS = `SELECT j.value AS job,
    (SELECT json_group_array(json_array(status, duration_ms)) FROM (SELECT status, duration_ms FROM runs WHERE job = j.value ORDER BY started_at DESC LIMIT 40)) AS recent,
    coalesce((SELECT started_at FROM runs WHERE job = j.value ORDER BY started_at DESC LIMIT 1 OFFSET 39), '') AS recent_from
  FROM json_each((SELECT json_group_array(DISTINCT job) FROM runs)) AS j ORDER BY j.value`;

/**
 * The strip text run_latest keeps (letters, a space, durations; oldest first) of a JSON strip listed newest
 * first: the walk turned around here, on its own, rather than by the SQL that keeps it.
 */
function stripText(json: string): string {
  const runs = (JSON.parse(json) as Array<[unknown, unknown]>).reverse();
  return `${runs.map(([s]) => STRIP_LETTERS[String(s)] ?? '?').join('')} ${runs.map(([, d]) => (typeof d === 'number' ? String(d) : '')).join(',')}`;
}

/** run_latest and the reference, read from one connection; strips too unless `strips` is false (a migrated file's are filled later). */
function both(db: Database.Database, strips = true): { kept: unknown[]; direct: unknown[] } {
  const kept = db.prepare('SELECT job, id, status, started_at, duration_ms, host, recent, recent_from FROM run_latest ORDER BY job').all() as Array<Latest & Record<string, unknown>>;
  const direct = db.prepare(REFERENCE).all({ host: null }) as Latest[];
  const recent = new Map((db.prepare(REFERENCE_STRIPS).all() as Array<{ job: string; recent: string }>).map((r) => [r.job, { ...r, recent: stripText(r.recent) }]));
  return {
    kept: kept.map((r) => (strips ? r : { ...r, recent: undefined, recent_from: undefined })),
    direct: direct.map((r) => ({ ...r, ...(strips ? recent.get(r.job) : { recent: undefined, recent_from: undefined }) })),
  };
}

/** Reads the file's run_latest and the reference in a fresh read-only connection. */
function bothOf(path: string, strips = true): { kept: unknown[]; direct: unknown[] } {
  const db = new Database(path, { readonly: true });
  try {
    return both(db, strips);
  } finally {
    db.close();
  }
}

/** What `status --json` shows of each job's latest run, against the reference's rows (null: no run). */
async function statusAgrees(path: string): Promise<void> {
  const status = await cronguardJson<{ jobs: Array<Record<string, unknown>> }>(['status', '--json'], path);
  const direct = bothOf(path, false).direct as Latest[];
  const ref = new Map(direct.map((r) => [r.job, r]));
  const shown = status.jobs.map((j) => [j['job'], j['lastStatus'], j['lastStartedAt'], j['lastDurationMs'], j['lastHost']]);
  const wanted = status.jobs.map((j) => {
    const r = ref.get(j['job'] as string);
    return [j['job'], r?.status ?? null, r?.started_at ?? null, r?.duration_ms ?? null, r?.host ?? null];
  });
  assert.deepEqual(shown, wanted);
}

const COLUMNS = 'id, job, status, exit_code, signal, started_at, heartbeat_at, ended_at, duration_ms, host, pid, pid_start, pgid, command, timeout_ms, kill_after_ms, heartbeat_ms, reason';

test('run_latest holds the direct query\'s row through random inserts, updates and deletes, ties and malformed times included', async () => {
  const path = join(dir, 'fuzz.db');
  assert.equal((await cronguard(['--db', path, '--name', 'a', '--', 'true'])).code, 0);
  // A bulk load drops the triggers while it loads: they must be back, and the table filled, after it.
  const run = (id: string, job: string, startedAt: string): RunRecord => ({
    id, job, status: 'success', exitCode: 0, signal: null, startedAt, heartbeatAt: startedAt, endedAt: startedAt, durationMs: 5,
    host: 'h1', pid: 1, pidStart: null, pgid: null, command: ['/bin/true'], timeoutMs: null, killAfterMs: 10_000, heartbeatMs: 30_000, reason: null, attempts: [],
  });
  bulkInsert(path, [], [run('bulk-1', 'b', '2026-01-01T00:00:01.000Z'), run('bulk-2', 'b', '2026-01-01T00:00:03.000Z'), run('bulk-3', 'c', '2026-01-01T00:00:02.000Z')]);
  const db = new Database(path);
  try {
    assert.deepEqual(both(db).kept, both(db).direct, 'after the bulk load');
    const random = prng(20261205);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
    const jobs = ['a', 'b', 'c'];
    // Few distinct times, so that ties are common; malformed ones sort among them as SQLite sorts them.
    const times: unknown[] = ['2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:03.000Z', 'garbage', '', 12];
    const statuses = ['success', 'failed', 'running', 'lost', 'timeout', 'skipped'];
    const durations = [null, 0, 7, 7, 1500, -3];
    for (const job of jobs) db.prepare(`INSERT OR IGNORE INTO jobs VALUES (?, NULL, NULL, NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`).run(job);
    const insert = db.prepare(`INSERT INTO runs (${COLUMNS}) VALUES (?, ?, ?, NULL, NULL, ?, '2026-01-01T00:00:00.000Z', NULL, ?, ?, 1, NULL, NULL, '[]', NULL, 10000, 30000, NULL)`);
    const replace = db.prepare(`INSERT OR REPLACE INTO runs (${COLUMNS}) VALUES (?, ?, ?, NULL, NULL, ?, '2026-01-01T00:00:00.000Z', NULL, ?, ?, 1, NULL, NULL, '[]', NULL, 10000, 30000, NULL)`);
    const ids = () => db.prepare('SELECT id FROM runs').pluck().all() as string[];
    let next = 0;
    let longest = 0;
    for (let step = 0; step < 1500; step++) {
      const all = ids();
      const r = random();
      let what: string;
      longest = Math.max(longest, ...jobs.map((j) => db.prepare('SELECT count(*) FROM runs WHERE job = ?').pluck().get(j) as number));
      if (r < 0.55 || all.length < 3) {
        what = 'insert';
        insert.run(`run-${next++}`, pick(jobs), pick(statuses), pick(times), pick(durations), pick(['h1', 'h2']));
      } else if (r < 0.6) {
        // SQLite fires no delete trigger for the row a REPLACE removes: the run may leave its job for another.
        what = 'insert or replace';
        replace.run(pick(all), pick(jobs), pick(statuses), pick(times), pick(durations), pick(['h1', 'h2']));
      } else if (r < 0.85) {
        const column = pick(['status', 'duration_ms', 'started_at', 'host', 'job', 'id', 'heartbeat_at', 'ended_at']);
        what = `update ${column}`;
        const value = { status: pick(statuses), duration_ms: pick(durations), started_at: pick(times), host: pick(['h1', 'h2', 'h3']),
          job: pick(jobs), id: `run-${next++}`, heartbeat_at: pick(times), ended_at: pick(times) }[column];
        db.prepare(`UPDATE runs SET ${column} = ? WHERE id = ?`).run(value, pick(all));
      } else if (r < 0.96) {
        what = 'delete one';
        db.prepare('DELETE FROM runs WHERE id = ?').run(pick(all));
      } else if (r < 0.99) {
        // As prune deletes: a batch of ids, older ones first.
        what = 'delete a batch';
        const batch = db.prepare(`SELECT id FROM runs WHERE started_at < ? LIMIT 5`).pluck().all(pick(times)) as string[];
        db.prepare('DELETE FROM runs WHERE id IN (SELECT value FROM json_each(?))').run(JSON.stringify(batch));
      } else {
        what = 'delete a job';
        db.prepare('DELETE FROM runs WHERE job = ?').run(pick(jobs));
      }
      const { kept, direct } = both(db);
      assert.deepEqual(kept, direct, `after step ${step} (${what})`);
      if (step % 300 === 299) {
        // status and sweep read the same facts: with one host, run_latest's answer equals the direct query's (--host).
        db.prepare(`UPDATE runs SET host = 'h1'`).run();
        const facts = await readStore(path, async (store) => [await store.sweep.jobs(), await store.sweep.jobs('h1')]);
        const [kept2, direct2] = facts ?? [[], []];
        assert.deepEqual(kept2?.filter((f) => f.last !== null), direct2, `sweep facts after step ${step}`);
        // The strips as status reads them: kept ones, cut to the width, against the runs walked for --host.
        for (const width of [1, 20, 40]) {
          const strips = await readStore(path, async (store) => [await store.report.lastRuns(jobs, width), await store.report.lastRuns(jobs, width, 'h1')]);
          const [kept3, walked3] = (strips ?? []).map((m) => [...m.entries()].sort());
          assert.deepEqual(kept3, walked3, `strips of ${width} after step ${step}`);
        }
        await statusAgrees(path);
      }
    }
    assert.ok(longest > 45, `a job had more runs than a strip holds (${longest})`);
  } finally {
    db.close();
  }
});

test('every writer keeps it: runs, spool intake, sweep marking a run lost, prune and forget', async () => {
  const path = join(dir, 'writers.db');
  const [SILENT, SPOOLED] = ['aaaaaaaa-0000-4000-8000-000000000001', 'aaaaaaaa-0000-4000-8000-000000000002'];
  const check = async (what: string) => {
    const { kept, direct } = bothOf(path);
    assert.deepEqual(kept, direct, what);
    await statusAgrees(path);
  };
  for (const [job, cmd] of [['ok', 'true'], ['bad', 'false'], ['ok', 'false'], ['bad', 'true']] as const) {
    await cronguard(['--db', path, '--name', job, '--', cmd]);
    await check(`after a run of ${job}`);
  }
  // A run still recorded running on another host, silent for years: sweep marks it lost.
  const db = new Database(path);
  db.prepare(`INSERT INTO runs (${COLUMNS}) VALUES (?, 'ok', 'running', NULL, NULL, '2099-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z',
    NULL, NULL, 'elsewhere', 1, NULL, NULL, '[]', NULL, 10000, 30000, NULL)`).run(SILENT);
  db.close();
  await check('with a running run');
  assert.equal((await cronguard(['sweep', '--json', '--crontab', '/dev/null', '--db', path])).code, 1);
  assert.equal((bothOf(path).kept as Latest[]).find((r) => r.job === 'ok')?.status, 'lost');
  await check('after sweep marked it lost');
  // The spool's record of that run replaces it (under another job too), and brings a newer run of its own.
  const spooled = (id: string, job: string, startedAt: string): string => spoolLine({ run: {
    id, job, status: 'failed', exitCode: 1, signal: null, startedAt, heartbeatAt: startedAt, endedAt: startedAt, durationMs: 1000, host: 'spooler',
    pid: 42, pidStart: null, pgid: null, command: ['/bin/job'], timeoutMs: null, killAfterMs: 10_000, heartbeatMs: 30_000, reason: null, attempts: [],
  }, schedule: null });
  writeFileSync(`${path}.spool`, spooled(SILENT, 'moved', '2099-01-01T00:00:00.000Z') + spooled(SPOOLED, 'bad', '2098-01-01T00:00:00.000Z'), { mode: 0o600 });
  assert.equal((await cronguard(['--db', path, '--name', 'other', '--', 'true'])).code, 0);
  assert.equal((bothOf(path).kept as Latest[]).find((r) => r.job === 'bad')?.id, SPOOLED);
  await check('after the spool was taken in');
  assert.equal((await cronguard(['prune', '--older-than', '0', '--db', path])).code, 0);
  await check('after prune');
  assert.equal((await cronguard(['forget', 'bad', '--db', path])).code, 0);
  await check('after forget');
});

test('a schema 21 file is migrated by its first status: run_latest filled, the same output as the direct query', async () => {
  const path = join(dir, 'v21.db');
  const old = new Database(path);
  old.function('cronguard_channel_fingerprint', (_: unknown) => null);
  for (const m of MIGRATIONS.filter((m) => m.version <= 21)) old.exec(m.sql);
  old.pragma('user_version = 21');
  const insert = old.prepare(`INSERT INTO runs (${COLUMNS}) VALUES (?, ?, ?, NULL, NULL, ?, ?, NULL, ?, ?, 1, NULL, NULL, '[]', NULL, 10000, 30000, NULL)`);
  const random = prng(21);
  for (let i = 0; i < 300; i++) {
    const at = `2026-01-0${1 + Math.floor(random() * 3)}T00:00:00.000Z`;
    insert.run(`old-${i}`, `job-${i % 7}`, ['success', 'failed', 'running'][i % 3], at, at, i % 5 === 0 ? null : i, `host-${i % 2}`);
  }
  for (let j = 0; j < 8; j++) old.prepare(`INSERT INTO jobs VALUES (?, NULL, NULL, NULL, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')`).run(`job-${j}`);
  const before = old.prepare(REFERENCE).all({ host: null });
  old.close();
  await statusAgrees(path);
  const { kept, direct } = bothOf(path, false);
  const latest = (rows: unknown[]) => rows.map((r) => ({ ...(r as object), recent: undefined, recent_from: undefined }));
  assert.deepEqual(kept, latest(before));
  assert.deepEqual(direct, latest(before));
  // The strips are left to each job's next write (status walks the runs of a job without one).
  assert.deepEqual(query(path, 'SELECT count(recent) AS n FROM run_latest'), [{ n: 0 }]);
  const plain = await cronguard(['status', '--db', path]);
  assert.equal((await cronguard(['--db', path, '--name', 'job-1', '--', 'true'])).code, 0);
  assert.deepEqual(query(path, 'SELECT job FROM run_latest WHERE recent IS NOT NULL'), [{ job: 'job-1' }]);
  const again = bothOf(path);
  assert.deepEqual(again.kept.filter((r) => (r as Latest).job === 'job-1'), again.direct.filter((r) => (r as Latest).job === 'job-1'));
  // Its strip, now kept, is the one walked before, plus the new run.
  const strip = (out: string, job: string) => (out.split('\n').find((l) => l.startsWith(`${job} `)) ?? '').split(/\s+/)[1];
  assert.equal(strip((await cronguard(['status', '--db', path])).out, 'job-1'), `${strip(plain.out, 'job-1')?.slice(1)}s`);
  const db = new Database(path, { readonly: true });
  try {
    assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
  } finally {
    db.close();
  }
});
