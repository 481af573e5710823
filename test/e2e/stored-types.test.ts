import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { test } from 'node:test';
import '../helpers/cjs-require.ts';
import { bulkInsert } from '../../src/store/sqlite/bulk.ts';
import type { RunRecord } from '../../src/shared/types.ts';
import { cronguard, tempDir } from '../helpers/cli.ts';
import { execute, query } from '../helpers/db.ts';

// SQLite stores any value in any column: the sqlite3 shell, an import or a bug can leave a BLOB where a
// name belongs, text where a number does. Reading never trusts what it reads back: every command answers
// around such a row, none stops with an internal error. Each corruption gets a job of its own.
const dir = tempDir();
const db = join(dir, 'types.db');

const RUN_CORRUPTIONS = ["duration_ms = x'0102'", "duration_ms = 'abc'", "started_at = x'00'", 'started_at = 12', "status = x'01'",
  "status = 'weird'", "exit_code = 'x'", "exit_code = x'01'", "command = 'notjson'", "command = x'01'", "host = x'01'", "job = x'01'",
  "ended_at = x'01'", "heartbeat_at = x'01'", "pid = 'x'", "signal = x'01'", "reason = x'01'"];
const ATTEMPT_CORRUPTIONS = ["duration_ms = x'0102'", "started_at = x'00'", "ended_at = x'01'", "status = x'01'", "exit_code = x'01'",
  "signal = x'01'", "output_bytes = x'01'", "output_bytes = 'z'", "n = 'q'", "reason = x'01'", "output = 'text'", 'output = 5'];

/** A finished run of a job, started `minutesAgo` before now, with one attempt that kept some output. */
function run(job: string, n: number, minutesAgo: number): RunRecord {
  const startedAt = new Date(Date.now() - minutesAgo * 60_000).toISOString();
  const endedAt = new Date(Date.now() - minutesAgo * 60_000 + 1500).toISOString();
  const status = n % 2 === 0 ? 'success' : 'failed';
  const exitCode = status === 'success' ? 0 : 1;
  return {
    id: randomUUID(), job, status, exitCode, signal: null,
    startedAt, heartbeatAt: endedAt, endedAt, durationMs: 1500, host: 'h1', pid: 100 + n, pidStart: null, pgid: null, command: ['/bin/job', job],
    timeoutMs: null, killAfterMs: 10_000, heartbeatMs: 30_000, reason: null,
    attempts: [{ n: 1, status, exitCode, signal: null, startedAt, endedAt, durationMs: 1500, outputBytes: 3, reason: null, output: Buffer.from('hi\n') }],
  };
}

const corruptions = [...RUN_CORRUPTIONS.map((c) => ({ table: 'runs', set: c })), ...ATTEMPT_CORRUPTIONS.map((c) => ({ table: 'attempts', set: c }))];
const jobOf = (i: number) => `job${String(i).padStart(2, '0')}`;
/** Every reading command (and `extra` ones) over a database, each that stopped on what it read. */
async function failingCommands(path: string, extra: string[][] = []): Promise<string[]> {
  const commands = [['status'], ['status', '--json'], ['stats'], ['stats', '--json'], ['stats', '--since', '30d'], ['stats', '--host', 'h1'],
    ['history'], ['history', '--json'], ['history', '--csv'], ['report', '--html', '-'], ['metrics'], ['sweep', '--crontab', '/dev/null'],
    ['sweep', '--all', '--crontab', '/dev/null'], ...extra];
  const failures: string[] = [];
  for (const args of commands) {
    const r = await cronguard([...args, '--db', path]);
    if ((r.code ?? 99) > 1 || /internal error|cannot read/.test(r.stderr)) failures.push(`${args.join(' ')} (${r.code}): ${r.stderr.split('\n').find((l) => !/warning/.test(l))}`);
  }
  return failures;
}

/** The ids of the corrupted runs, for show. */
const corrupted: string[] = [];

test('setup: three runs of each job, then one value of the wrong kind in a run of each', async () => {
  assert.equal((await cronguard(['--db', db, '--name', 'plain', '--', 'true'])).code, 0);
  bulkInsert(db, [], corruptions.flatMap((_, i) => [0, 1, 2].map((k) => run(jobOf(i), i * 3 + k, 10 + k * 30))));
  // Summaries settled first, so that the corruptions are what the triggers see.
  assert.ok(((await cronguard(['sweep', '--crontab', '/dev/null', '--db', db])).code ?? 99) <= 1);
  corruptions.forEach(({ table, set }, i) => {
    const where = table === 'runs' ? 'id = ?' : 'run_id = ?';
    // The job's latest run: the one status, metrics and sweep read first.
    const id = query<{ id: string }>(db, 'SELECT id FROM runs WHERE job = ? ORDER BY started_at DESC LIMIT 1', jobOf(i))[0]?.id;
    assert.equal(execute(db, `UPDATE ${table} SET ${set} WHERE ${where}`, id), 1, `${table}: ${set}`);
    corrupted.push(id as string);
  });
});

test('every reading command answers around them: no internal error, no failed read', async () => {
  const blobDuration = jobOf(RUN_CORRUPTIONS.indexOf("duration_ms = x'0102'"));
  const failures = await failingCommands(db, [['stats', blobDuration], ['history', '--limit', '0', '--json'], ['prune', '--older-than', '0', '--dry-run']]);
  // show, for every corrupted run still found by its id.
  for (const id of corrupted) {
    const r = await cronguard(['show', id.slice(0, 8), '--db', db]);
    if ((r.code ?? 99) > 1 || /internal error/.test(r.stderr)) failures.push(`show ${id} (${r.code}): ${r.stderr.split('\n').find((l) => !/warning/.test(l))}`);
  }
  assert.deepEqual(failures, []);
});

test('the same for the tables beside the runs: a schedule or zone this cronguard cannot read, summaries and problems of the wrong kind', async () => {
  const path = join(dir, 'beside.db');
  assert.equal((await cronguard(['--db', path, '--name', 'plain', '--schedule', '*/5 * * * *', '--', 'true'])).code, 0);
  // Another host's cronguard (newer tzdata), the sqlite3 shell or a bug wrote these; each job gets one.
  const CORRUPTIONS = ["jobs SET schedule = x'01' WHERE name = ?", "jobs SET tz = 'Mars/Olympus_Mons' WHERE name = ?", "jobs SET tz = x'01' WHERE name = ?",
    "jobs SET schedule = 'every tuesday' WHERE name = ?", "problems SET kind = x'01' WHERE job = ? AND kind = 'failing'", "problems SET message = x'01' WHERE job = ?",
    "run_days SET durations = 'junk' WHERE job = ?", "run_days SET durations = x'01' WHERE job = ?", "run_days SET failed = x'01' WHERE job = ?",
    "run_days SET summary = 'junk' WHERE job = ?", "run_latest SET status = x'01' WHERE job = ?", "run_latest SET started_at = x'01' WHERE job = ?",
    "run_latest SET recent = '[junk' WHERE job = ?", "run_latest SET recent = '[1, [2], {}]' WHERE job = ?", "run_latest SET recent = x'01' WHERE job = ?",
    "run_latest SET recent = 'junk' WHERE job = ?"];
  const jobs = CORRUPTIONS.map((_, i) => ({ name: jobOf(i), schedule: { schedule: '*/5 * * * *', tz: 'UTC', graceMs: 60_000 }, firstSeenAt: '2026-01-01T00:00:00.000Z' }));
  // Failing runs, long overdue: sweep opens problems for each job.
  bulkInsert(path, jobs, jobs.flatMap((j, i) => [0, 1, 2].map((k) => ({ ...run(j.name, i * 3 + k, 600 + k * 30), status: 'failed' as const, exitCode: 1 }))));
  assert.ok(((await cronguard(['sweep', '--crontab', '/dev/null', '--db', path])).code ?? 99) <= 1);
  CORRUPTIONS.forEach((set, i) => assert.ok(execute(path, `UPDATE ${set}`, jobOf(i)) >= 1, set));
  assert.deepEqual(await failingCommands(path), []);
});
