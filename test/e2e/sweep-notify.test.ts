import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, tempDir } from '../helpers/cli.ts';
import { startServer } from '../helpers/http.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');

test('cronguard sweep notifies new and resolved problems once, and pings after every sweep', async () => {
  const server = await startServer();
  const sweep = () => cronguard(['sweep', '--db', db, '--crontab', '/dev/null', '--notify-url', `${server.url}/hook`, '--ping', `${server.url}/dms`]);
  await cronguard(['--db', db, '--name', 'nightly', '--', 'sh', '-c', 'exit 3']);
  assert.equal((await sweep()).code, 1);
  assert.equal((await sweep()).code, 0, 'nothing new: no event, but still a ping');
  await cronguard(['--db', db, '--name', 'nightly', '--', 'true']);
  assert.equal((await sweep()).code, 1);
  const events = server.received.filter((r) => r.path === '/hook').map((r) => r.json as { type: string; job: string; problem: { kind: string } });
  assert.deepEqual(events.map((e) => [e.type, e.job, e.problem.kind]), [['problem', 'nightly', 'failing'], ['resolved', 'nightly', 'failing']]);
  assert.equal(server.received.filter((r) => r.path.startsWith('/dms')).length, 3);
});

test('a sweep that fails on its own pings /fail', async () => {
  const server = await startServer();
  writeFileSync(join(dir, 'plain-file'), 'x');
  const r = await cronguard(['sweep', '--db', join(dir, 'plain-file', 'cg.db'), '--crontab', '/dev/null', '--ping', `${server.url}/dms`]);
  assert.equal(r.code, 125);
  assert.deepEqual(server.received.map((x) => x.path.split('?')[0]), ['/dms/fail']);
});
