import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, cronguardJson, fixture, tempDir } from '../helpers/cli.ts';
import { startServer } from '../helpers/http.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');

/** The id of the job's latest run. */
async function lastRunId(job: string): Promise<string> {
  const [run] = await cronguardJson<Array<{ id: string }>>(['history', job, '--json', '--limit', '1'], db);
  return run?.id ?? '';
}

test('success: GET URL/start?rid=RUN_ID before, then POST URL?rid=RUN_ID with the output as the body', async () => {
  const server = await startServer();
  const r = await cronguard(['--db', db, '--name', 'pok', '--ping', `${server.url}/ping/abc`, '--', 'sh', '-c', 'echo all good']);
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '');
  const rid = await lastRunId('pok');
  assert.deepEqual(server.received.map((q) => `${q.method} ${q.path}`), [`GET /ping/abc/start?rid=${rid}`, `POST /ping/abc?rid=${rid}`]);
  assert.match(server.received[1]?.body.toString() ?? '', /all good/);
});

test('failure: POST URL/EXITCODE?rid=; the user\'s own query string is kept', async () => {
  const server = await startServer();
  const r = await cronguard(['--db', db, '--name', 'pfail', '--ping', `${server.url}/p?create=1`, '--', fixture('exit-n.sh'), '3']);
  assert.equal(r.code, 3);
  const rid = await lastRunId('pfail');
  assert.deepEqual(server.received.map((q) => `${q.method} ${q.path}`), [`GET /p/start?create=1&rid=${rid}`, `POST /p/3?create=1&rid=${rid}`]);
  assert.match(server.received[1]?.body.toString() ?? '', /exit-n: exiting 3/);
});

test('timeout: the finish ping signals 124', async () => {
  const server = await startServer();
  const r = await cronguard(['--db', db, '--name', 'ptime', '--timeout', '300ms', '--kill-after', '1s', '--ping', server.url, '--', fixture('sleep-forever.sh')], { limitMs: 60_000 });
  assert.equal(r.code, 124);
  const rid = await lastRunId('ptime');
  assert.deepEqual(server.received.map((q) => q.path), [`/start?rid=${rid}`, `/124?rid=${rid}`]);
});

test('the ping body is the tail of the output, at most 100 kB', async () => {
  const server = await startServer();
  await cronguard(['--db', db, '--name', 'pbig', '--ping', server.url, '--', 'sh', '-c', 'seq 1 100000; echo LAST-LINE']);
  const body = server.received[1]?.body ?? Buffer.alloc(0);
  assert.equal(body.length, 100_000);
  assert.match(body.toString(), /LAST-LINE\n$/);
});

test('a ping receiver that is down is one warning line; the job is unaffected', async () => {
  const gone = await startServer();
  await gone.close();
  const r = await cronguard(['--db', db, '--name', 'pdown', '--ping', gone.url, '--', 'true']);
  assert.equal(r.code, 0);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? '', /^cronguard: could not ping http:\/\/127\.0\.0\.1:\d+\/\.\.\.: .*ECONNREFUSED/);
});
