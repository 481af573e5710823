import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, cronguardJson, fixture, tempDir, waitFor } from '../helpers/cli.ts';
import { markedJob, processesMarked } from '../helpers/procs.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');

test('timeout kills the whole process tree, grandchildren included, and exits 124', async () => {
  const { mark, env } = markedJob();
  const started = Date.now();
  const r = await cronguard(['--db', db, '--name', 'tree', '--timeout', '1s', '--kill-after', '1s', '--', fixture('fork-grandchildren.sh')],
    { env });
  assert.equal(r.code, 124);
  assert.match(r.out, /job tree timeout/);
  assert.match(r.out, /forked/, 'output written before the timeout is kept');
  // One grandchild ignores SIGTERM: it must have been SIGKILLed after --kill-after, not left behind.
  assert.ok(Date.now() - started >= 1900, 'waited for the SIGKILL of the TERM-ignoring grandchild');
  await waitFor(() => processesMarked(mark).length === 0, 5000, 'no process of the job survives');
  const [rec] = await cronguardJson<Array<Record<string, unknown>>>(['history', 'tree', '--json'], db);
  assert.equal(rec?.['status'], 'timeout');
});

test('a command that ignores SIGTERM is SIGKILLed after --kill-after', async () => {
  const { mark, env } = markedJob();
  const started = Date.now();
  const r = await cronguard(['--db', db, '--name', 'stubborn', '--timeout', '500ms', '--kill-after', '1500ms', '--', fixture('ignore-term.sh')],
    { env });
  const took = Date.now() - started;
  assert.equal(r.code, 124);
  assert.ok(took >= 1900, `took ${took} ms: SIGKILL must wait for --kill-after`);
  assert.ok(took < 15_000, `took ${took} ms`);
  assert.deepEqual(processesMarked(mark), []);
  const [rec] = await cronguardJson<Array<{ attempts: Array<{ signal: string }> }>>(['history', 'stubborn', '--json'], db);
  assert.equal(rec?.attempts[0]?.signal, 'SIGKILL');
});

test('a job that exits in time is not affected by --timeout', async () => {
  const r = await cronguard(['--db', db, '--timeout', '20s', '--', fixture('exit-n.sh'), '0']);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
});

test('retries: fails twice then succeeds, 3 attempts recorded, quiet', async () => {
  const counter = join(dir, 'count');
  const r = await cronguard(['--db', db, '--name', 'flaky', '--retries', '3', '--retry-delay', '50ms', '--', fixture('flaky.sh'), counter, '3']);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
  const [rec] = await cronguardJson<Array<{ status: string; attempts: Array<{ n: number; status: string; exitCode: number; outputBytes: number }> }>>(['history', 'flaky', '--json'], db);
  assert.equal(rec?.status, 'success');
  assert.deepEqual(rec?.attempts.map((a) => [a.n, a.status, a.exitCode]), [[1, 'failed', 1], [2, 'failed', 1], [3, 'success', 0]]);
  assert.ok(rec?.attempts.every((a) => a.outputBytes === 10));
});

test('retries that all fail report every attempt and pass the last code through', async () => {
  const counter = join(dir, 'count2');
  const r = await cronguard(['--db', db, '--name', 'doomed', '--retries', '2', '--retry-delay', '50ms', '--', fixture('flaky.sh'), counter, '99', '7']);
  assert.equal(r.code, 7);
  assert.match(r.out, /attempts +3/);
  assert.match(r.out, /attempt 1[\s\S]*attempt 1\n[\s\S]*attempt 3: failed \(exit 7\)[\s\S]*attempt 3\n/);
});

test('--retry-on: a code not listed is not retried; a listed one is', async () => {
  const c1 = join(dir, 'c1');
  const no = await cronguard(['--db', db, '--name', 'rt1', '--retries', '3', '--retry-delay', '10ms', '--retry-on', '75,timeout', '--', fixture('flaky.sh'), c1, '99', '1']);
  assert.equal(no.code, 1);
  const [rec1] = await cronguardJson<Array<{ attempts: unknown[] }>>(['history', 'rt1', '--json'], db);
  assert.equal(rec1?.attempts.length, 1);
  const c2 = join(dir, 'c2');
  const yes = await cronguard(['--db', db, '--name', 'rt2', '--retries', '2', '--retry-delay', '10ms', '--retry-on', '75', '--', fixture('flaky.sh'), c2, '99', '75']);
  assert.equal(yes.code, 75);
  const [rec2] = await cronguardJson<Array<{ attempts: unknown[] }>>(['history', 'rt2', '--json'], db);
  assert.equal(rec2?.attempts.length, 3);
});

test('a timed-out attempt is retried when timeout is listed', async () => {
  const r = await cronguard(['--db', db, '--name', 'slow', '--timeout', '200ms', '--kill-after', '100ms', '--retries', '1', '--retry-delay', '10ms', '--retry-on', 'timeout', '--', fixture('sleep-forever.sh')]);
  assert.equal(r.code, 124);
  const [rec] = await cronguardJson<Array<{ status: string; attempts: Array<{ status: string }> }>>(['history', 'slow', '--json'], db);
  assert.deepEqual(rec?.attempts.map((a) => a.status), ['timeout', 'timeout']);
  assert.equal(rec?.status, 'timeout');
});

test('--retry-on 127 retries a command not found (a file system not mounted yet); by default it is never retried', async () => {
  const named = await cronguard(['--db', db, '--name', 'nf', '--retries', '2', '--retry-delay', '10ms', '--retry-on', '127', '--', '/nonexistent/cronguard-test-cmd']);
  assert.equal(named.code, 127);
  const [rec] = await cronguardJson<Array<{ status: string; attempts: Array<{ status: string; exitCode: number }> }>>(['history', 'nf', '--json'], db);
  assert.deepEqual(rec?.attempts.map((a) => [a.status, a.exitCode]), [['error', 127], ['error', 127], ['error', 127]]);
  const unnamed = await cronguard(['--db', db, '--name', 'nf2', '--retries', '2', '--retry-delay', '10ms', '--', '/nonexistent/cronguard-test-cmd']);
  assert.equal(unnamed.code, 127);
  const [rec2] = await cronguardJson<Array<{ attempts: unknown[] }>>(['history', 'nf2', '--json'], db);
  assert.equal(rec2?.attempts.length, 1);
});
