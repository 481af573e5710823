import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronEnv, cronguard, cronguardJson, tempDir } from '../helpers/cli.ts';
import { startServer } from '../helpers/http.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
type Event = Record<string, unknown> & { run: Record<string, unknown> | null };

/** One run of a job that prints a line and exits `code`, with extra options. */
const job = (name: string, code: number, options: string[] = [], env = cronEnv()) =>
  cronguard(['--db', db, '--name', name, ...options, '--', 'sh', '-c', `echo "line of ${name}"; exit ${code}`], { env, limitMs: 60_000 });

test('a failure POSTs the event JSON with its headers; the job exit code and report are unchanged', async () => {
  const server = await startServer();
  const r = await job('web', 3, ['--notify-url', `${server.url}/hook`]);
  assert.equal(r.code, 3);
  assert.equal(r.stderr, '');
  assert.match(r.out, /job web failed \(exit 3\)/);
  assert.equal(server.received.length, 1);
  const [req] = server.received;
  assert.equal(req?.method, 'POST');
  assert.equal(req?.path, '/hook');
  assert.equal(req?.headers['content-type'], 'application/json');
  assert.match(String(req?.headers['user-agent']), /^cronguard\//);
  assert.equal(req?.headers['x-cronguard-event'], 'failure');
  const event = req?.json as Event;
  assert.equal(req?.headers['x-cronguard-event-id'], event['id']);
  const [last] = await cronguardJson<Array<Record<string, unknown>>>(['history', 'web', '--json'], db);
  assert.equal(event['version'], 1);
  assert.equal(event['type'], 'failure');
  assert.equal(event['job'], 'web');
  assert.equal(event['host'], last?.['host']);
  assert.equal(event['failureStreak'], 1);
  assert.match(String(event['message']), /job web failed \(exit 3\)/);
  assert.equal(event['output'], 'line of web\n');
  assert.equal(event.run?.['id'], last?.['id']);
  assert.equal(event.run?.['exitCode'], 3);
  assert.equal(event.run?.['status'], 'failed');
  assert.equal(event['problem'], null);
});

test('a success after failures sends one recovery; the next success sends nothing', async () => {
  const server = await startServer();
  const url = ['--notify-url', server.url];
  await job('rec', 1, url);
  await job('rec', 1, url);
  assert.equal((await job('rec', 0, url)).code, 0);
  await job('rec', 0, url);
  assert.deepEqual(server.received.map((r) => (r.json as Event)['type']), ['failure', 'failure', 'recovery']);
  const recovery = server.received[2]?.json as Event;
  assert.equal(recovery['failureStreak'], 2);
  assert.equal(recovery['reason'], null);
  assert.equal(recovery.run?.['status'], 'success');
});

test('--notify-format slack posts {"text": ...} for a Slack incoming webhook', async () => {
  const server = await startServer();
  await job('slacky', 2, ['--notify-url', server.url, '--notify-format', 'slack']);
  const body = server.received[0]?.json as Record<string, unknown>;
  assert.deepEqual(Object.keys(body), ['text']);
  assert.match(String(body['text']), /^:red_circle: job slacky failed \(exit 2\)/);
  assert.match(String(body['text']), /```line of slacky```/);
});

test('CRONGUARD_NOTIFY_URL and CRONGUARD_NOTIFY_FORMAT are the global defaults; the run line replaces them', async () => {
  const global = await startServer();
  const own = await startServer();
  const env = cronEnv({ CRONGUARD_NOTIFY_URL: global.url, CRONGUARD_NOTIFY_FORMAT: 'slack' });
  await job('glob', 1, [], env);
  assert.equal(global.received.length, 1);
  assert.ok('text' in (global.received[0]?.json as object), 'the slack format from the environment');
  await job('glob', 1, ['--notify-url', own.url, '--notify-format', 'json'], env);
  assert.equal(global.received.length, 1, 'the run line replaced the global URL');
  assert.equal((own.received[0]?.json as Event)['type'], 'failure');
});

test('--notify-command runs through sh -c with the event JSON on stdin and CRONGUARD_* variables', async () => {
  const out = join(dir, 'cmd');
  const command = `cat > ${out}.json; env | grep ^CRONGUARD_ | sort > ${out}.env`;
  const r = await job('cmdjob', 5, ['--notify-command', command]);
  assert.equal(r.code, 5);
  assert.equal(r.stderr, '');
  const event = JSON.parse(readFileSync(`${out}.json`, 'utf8')) as Event;
  const vars = Object.fromEntries(readFileSync(`${out}.env`, 'utf8').trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
  assert.equal(event['type'], 'failure');
  assert.equal(vars['CRONGUARD_EVENT'], 'failure');
  assert.equal(vars['CRONGUARD_EVENT_ID'], event['id']);
  assert.equal(vars['CRONGUARD_JOB'], 'cmdjob');
  assert.equal(vars['CRONGUARD_STATUS'], 'failed');
  assert.equal(vars['CRONGUARD_EXIT_CODE'], '5');
  assert.equal(vars['CRONGUARD_RUN_ID'], event.run?.['id']);
  assert.equal(vars['CRONGUARD_HOST'], event['host']);
  assert.equal(vars['CRONGUARD_FAILURE_STREAK'], '1');
  assert.equal(vars['CRONGUARD_ATTEMPTS'], '1');
});

test('the notify command\'s children do not inherit CRONGUARD_NOTIFY_COMMAND: a cronguard it starts cannot notify through it again', async () => {
  const out = join(dir, 'inherit');
  // The command itself still runs from the variable; what it starts sees neither its text nor a crontab-wide default.
  const command = `echo ran > ${out}.ran; sh -c 'env' > ${out}.env`;
  const r = await job('inherit', 4, ['--notify-command', command], cronEnv({ CRONGUARD_NOTIFY_COMMAND: 'echo crontab-wide default' }));
  assert.equal(r.code, 4, r.stderr);
  assert.equal(readFileSync(`${out}.ran`, 'utf8'), 'ran\n');
  const env = readFileSync(`${out}.env`, 'utf8');
  assert.match(env, /^CRONGUARD_JOB=inherit$/m, 'the event variables are there');
  assert.doesNotMatch(env, /CRONGUARD_NOTIFY_COMMAND/);
});

test('a failing --notify-command is one warning line; the job exit code stays', async () => {
  const r = await job('cmdfail', 0, ['--notify-command', 'echo broken hook >&2; exit 9', '--fail-on-output', 'line']);
  assert.equal(r.code, 1);
  const warnings = r.stderr.trimEnd().split('\n');
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0] ?? '', /^cronguard: could not deliver the failure notification of cmdfail .*exited 9: broken hook; queued/);
});

test('--alert-after 3 notifies from the third consecutive failure; recovery only after an alerted streak', async () => {
  const server = await startServer();
  const opts = ['--notify-url', server.url, '--alert-after', '3'];
  await job('flap', 1, opts);
  await job('flap', 1, opts);
  assert.equal(server.received.length, 0, 'two failures: no alert yet');
  await job('flap', 0, opts);
  assert.equal(server.received.length, 0, 'no recovery after a streak that was never alerted');
  for (let i = 0; i < 4; i++) await job('flap', 1, opts);
  assert.deepEqual(server.received.map((r) => (r.json as Event)['failureStreak']), [3, 4]);
  await job('flap', 0, opts);
  const last = server.received.at(-1)?.json as Event;
  assert.equal(last['type'], 'recovery');
  assert.equal(last['failureStreak'], 4);
  const runs = await cronguardJson<unknown[]>(['history', 'flap', '--json'], db);
  assert.equal(runs.length, 8, 'every failure is still recorded');
});

test('bad notification options are refused before anything runs (exit 125)', async () => {
  for (const bad of [['--notify-url', 'ftp://x'], ['--notify-url', 'not a url'], ['--notify-format', 'xml'], ['--alert-after', '0'], ['--ping', '/relative']]) {
    const r = await job('never', 0, bad);
    assert.equal(r.code, 125, bad.join(' '));
    assert.match(r.stderr, new RegExp(`^cronguard: ${bad[0]} `));
  }
  const runs = await cronguardJson<unknown[]>(['history', 'never', '--json'], db);
  assert.equal(runs.length, 0);
});

test('a bad CRONGUARD_NOTIFY_URL only warns: the job still runs', async () => {
  const r = await job('envbad', 0, [], cronEnv({ CRONGUARD_NOTIFY_URL: 'nope' }));
  assert.equal(r.code, 0);
  assert.match(r.stderr, /^cronguard: CRONGUARD_NOTIFY_URL "nope": .*ignored/);
});
