import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, tempDir, waitFor } from '../helpers/cli.ts';
import { startServer } from '../helpers/http.ts';
import { query } from '../helpers/db.ts';
import { markedJob, processesMarked } from '../helpers/procs.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');

test('a signal while a notification is delivered: the report is out, the notify command group is killed, the row stays queued, exit 128+N', async () => {
  const { mark, env } = markedJob();
  const hookStarted = join(dir, 'hook-started');
  let pid = 0;
  const result = cronguard(['--db', db, '--name', 'slowhook', '--notify-command', `echo > ${hookStarted}; sleep 100000`, '--', 'sh', '-c', 'echo job output; exit 3'],
    { env, limitMs: 60_000, onSpawn: (p) => { pid = p; } });
  await waitFor(() => existsSync(hookStarted), 30_000, 'the notify command to start');
  const started = Date.now();
  process.kill(pid, 'SIGTERM');
  const r = await result;
  assert.ok(Date.now() - started < 10_000, 'stopped at once, not at the delivery timeout');
  assert.equal(r.code, 143);
  assert.match(r.out, /job slowhook failed \(exit 3\)/, 'the failure report was printed before the delivery');
  assert.match(r.out, /job output/);
  assert.match(r.stderr, /received SIGTERM while delivering notifications/);
  assert.deepEqual(processesMarked(mark), [], 'the notify command and its children are gone');
  const rows = query<{ claim_token: string | null; delivered_at: string | null; dead_at: string | null }>(db, 'SELECT claim_token, delivered_at, dead_at FROM outbox');
  assert.equal(rows.length, 1);
  assert.deepEqual(rows[0], { claim_token: null, delivered_at: null, dead_at: null }, 'the row is back in the queue, unclaimed');
});

test('a signal while a --notify-url hangs: the report is out, the row stays queued unclaimed, exit 128+N at once', async () => {
  const server = await startServer();
  server.fallback = 'hang';
  let pid = 0;
  const result = cronguard(['--db', db, '--name', 'slowurl', '--notify-url', `${server.url}/hook`, '--', 'sh', '-c', 'echo url job output; exit 5'],
    { limitMs: 60_000, onSpawn: (p) => { pid = p; } });
  await waitFor(() => server.received.length === 1, 30_000, 'the notification to reach the hanging receiver');
  const started = Date.now();
  process.kill(pid, 'SIGINT');
  const r = await result;
  assert.ok(Date.now() - started < 5000, 'stopped at once, not at the delivery timeout');
  assert.equal(r.code, 130);
  assert.match(r.out, /job slowurl failed/);
  assert.match(r.out, /url job output/);
  const rows = query<{ claim_token: string | null; delivered_at: string | null }>(db, `SELECT claim_token, delivered_at FROM outbox WHERE job = 'slowurl'`);
  assert.deepEqual(rows, [{ claim_token: null, delivered_at: null }]);
});
