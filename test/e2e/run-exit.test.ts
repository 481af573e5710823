import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronEnv, cronguard, cronguardJson, fixture, tempDir } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'state', 'cg.db');
const run = (args: string[]) => cronguard(['--db', db, ...args]);

test('success is quiet and exits 0; the run is recorded', async () => {
  const r = await run(['--name', 'ok', '--', fixture('exit-n.sh'), '0']);
  assert.equal(r.code, 0);
  assert.equal(r.out, '');
  assert.equal(r.stderr, '');
  const [last] = await cronguardJson<Array<Record<string, unknown>>>(['history', 'ok', '--json'], db);
  assert.equal(last?.['status'], 'success');
  assert.equal(last?.['exitCode'], 0);
  assert.deepEqual(last?.['command'], [fixture('exit-n.sh'), '0']);
});

test('the database directory is 0700 and the file 0600', () => {
  assert.equal(statSync(join(dir, 'state')).mode & 0o777, 0o700);
  assert.equal(statSync(db).mode & 0o777, 0o600);
});

test('a failing exit code passes through with a report and the output on stdout', async () => {
  const r = await run(['--name', 'three', '--', fixture('exit-n.sh'), '3']);
  assert.equal(r.code, 3);
  assert.match(r.out, /^cronguard: job three failed \(exit 3\)/);
  assert.match(r.out, /exit-n: exiting 3/);
  assert.match(r.out, /run +[0-9a-f-]{36}/);
  assert.equal(r.stderr, '');
});

test('127 when the command is not found, 126 when it cannot be executed', async () => {
  const missing = await run(['--', '/nonexistent/command']);
  assert.equal(missing.code, 127);
  assert.match(missing.out, /command not found/);
  const notExecutable = await run(['--', join(dir)]);
  assert.equal(notExecutable.code, 126);
  const [rec] = await cronguardJson<Array<Record<string, unknown>>>(['history', '--json', '--limit', '1'], db);
  assert.equal(rec?.['status'], 'error');
});

test('128+N when the command dies of signal N', async () => {
  const r = await run(['--', 'sh', '-c', 'kill -USR1 $$']);
  assert.equal(r.code, 128 + 10);
  assert.match(r.out, /killed \(SIGUSR1\)/);
});

test('a command found through PATH runs (cron PATH=/usr/bin:/bin)', async () => {
  const r = await run(['--', 'true']);
  assert.equal(r.code, 0);
});

test('options after the command belong to the command', async () => {
  const r = await run(['--name', 'echo', '--', 'sh', '-c', 'echo "$@"; exit 4', 'sh', '--timeout', 'x']);
  assert.equal(r.code, 4);
  assert.match(r.out, /--timeout x/);
});

test('the run mode works without "--" too, and as "cronguard run"', async () => {
  assert.equal((await run([fixture('exit-n.sh'), '5'])).code, 5);
  assert.equal((await cronguard(['run', '--db', db, '--', fixture('exit-n.sh'), '6'])).code, 6);
});

test('--version and --help work without a database', async () => {
  const v = await cronguard(['--version'], { env: cronEnv({ CRONGUARD_DB: '/nonexistent/x.db' }) });
  assert.equal(v.code, 0);
  assert.match(v.out, /^\d+\.\d+\.\d+\n$/);
  const h = await cronguard(['--help']);
  assert.equal(h.code, 0);
  assert.match(h.out, /--timeout/);
  assert.match(h.out, /--retry-on/);
});
