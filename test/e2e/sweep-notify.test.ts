import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

test('a sweep run by hand takes nothing from the channels: the next notifying sweep delivers the problem once, and its resolution once', async () => {
  const db = join(dir, 'by-hand.db');
  const heard = join(dir, 'heard');
  const later = join(dir, 'heard-later');
  const channel = (file: string) => ['--notify-command', `echo "$CRONGUARD_EVENT $CRONGUARD_JOB $CRONGUARD_PROBLEM" >> ${file}`];
  const plain = () => cronguard(['sweep', '--db', db, '--crontab', '/dev/null']);
  const notifying = (...extra: string[]) => cronguard(['sweep', '--db', db, '--crontab', '/dev/null', ...channel(heard), ...extra]);
  const lines = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);
  assert.equal((await cronguard(['--db', db, '--name', 'nightly', '--', 'sh', '-c', 'exit 3'])).code, 3);
  const byHand = await plain();
  assert.equal(byHand.code, 1);
  assert.match(byHand.out, /NEW\s+failing\s+nightly/);
  const first = await notifying();
  assert.deepEqual([first.code, first.out, first.stderr], [0, '', ''], 'nothing new to print: the hand-run sweep printed it');
  assert.deepEqual(lines(heard), ['problem nightly failing'], 'the channel still hears of it');
  assert.equal((await notifying()).code, 0);
  assert.deepEqual(lines(heard), ['problem nightly failing'], 'once');

  assert.equal((await cronguard(['--db', db, '--name', 'nightly', '--', 'true'])).code, 0);
  const fixedByHand = await plain();
  assert.equal(fixedByHand.code, 1);
  assert.match(fixedByHand.out, /RESOLVED\s+failing\s+nightly/);
  const told = await notifying(...channel(later));
  assert.deepEqual([told.code, told.stderr], [0, '']);
  assert.deepEqual(lines(heard), ['problem nightly failing', 'resolved nightly failing'], 'and its resolution');
  assert.deepEqual(lines(later), [], 'a channel that never heard of the problem hears nothing of its end');
  assert.equal((await notifying()).code, 0);
  assert.deepEqual(lines(heard), ['problem nightly failing', 'resolved nightly failing'], 'once');
});
