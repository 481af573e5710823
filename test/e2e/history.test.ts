import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cronEnv, cronguard, cronguardJson, fixture, tempDir } from '../helpers/cli.ts';
import { HAS_SCRIPT, onTerminal, parseCsv, type RunJson } from '../helpers/forensics.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
const TRICKY_ARGS = ['a,b', 'say "hi"', 'two\nlines'];
/** The recorded runs, oldest first: alpha ok, alpha failed, beta failed (tricky args), gamma error, alpha ok. */
let runs: RunJson[] = [];

const history = (args: string[], env = cronEnv()) => cronguardJson<RunJson[]>(['history', ...args, '--json'], db, { env });
const ids = (list: RunJson[]) => list.map((r) => r.id);

before(async () => {
  const record = (name: string, argv: string[]) => cronguard(['--db', db, '--name', name, '--', ...argv]);
  await record('alpha', ['sh', '-c', 'exit 0']);
  await record('alpha', [fixture('exit-n.sh'), '3']);
  await record('beta', ['sh', '-c', 'echo "$@"; exit 4', 'sh', ...TRICKY_ARGS]);
  await record('gamma', ['/nonexistent/command']);
  await record('alpha', ['sh', '-c', 'exit 0']);
  runs = (await history(['--limit', '0'])).reverse();
  assert.deepEqual(runs.map((r) => `${r.job}:${r.status}`), ['alpha:success', 'alpha:failed', 'beta:failed', 'gamma:error', 'alpha:success']);
});

test('newest first, every run by default, in the JSON shape of SPEC §6', async () => {
  const all = await history([]);
  assert.deepEqual(ids(all), ids([...runs].reverse()));
  for (let i = 1; i < all.length; i++) assert.ok((all[i - 1] as RunJson).startedAt > (all[i] as RunJson).startedAt);
  const keys = ['id', 'job', 'status', 'exitCode', 'signal', 'startedAt', 'heartbeatAt', 'endedAt', 'durationMs', 'host', 'pid', 'command', 'attempts'];
  assert.deepEqual(Object.keys(all[0] as RunJson), keys);
  assert.deepEqual(Object.keys((all[0] as RunJson).attempts[0] ?? {}), ['n', 'status', 'exitCode', 'signal', 'startedAt', 'endedAt', 'durationMs', 'outputBytes']);
  assert.deepEqual(all.find((r) => r.job === 'beta')?.command, ['sh', '-c', 'echo "$@"; exit 4', 'sh', ...TRICKY_ARGS]);
});

test('--limit keeps the newest, JOB and --status narrow', async () => {
  assert.deepEqual(ids(await history(['--limit', '2'])), ids([runs[4], runs[3]] as RunJson[]));
  assert.deepEqual(ids(await history(['alpha'])), ids([runs[4], runs[1], runs[0]] as RunJson[]));
  assert.deepEqual(ids(await history(['alpha', '--limit', '1'])), ids([runs[4]] as RunJson[]));
  assert.deepEqual(ids(await history(['--status', 'failed,error'])), ids([runs[3], runs[2], runs[1]] as RunJson[]));
  assert.deepEqual(ids(await history(['alpha', '--status', 'failed'])), ids([runs[1]] as RunJson[]));
});

test('--since and --until take durations ago and dates (UTC with Z, local without)', async () => {
  const third = runs[2] as RunJson;
  assert.deepEqual(ids(await history(['--since', third.startedAt])), ids([runs[4], runs[3], runs[2]] as RunJson[]));
  assert.deepEqual(ids(await history(['--until', third.startedAt])), ids([runs[1], runs[0]] as RunJson[]));
  assert.equal((await history(['--since', '1h'])).length, 5);
  assert.equal((await history(['--until', '1h'])).length, 0);
  // The same instant written as India's wall clock (UTC+05:30, no DST), with TZ saying so.
  const local = new Date(Date.parse(third.startedAt) + 5.5 * 3_600_000).toISOString().slice(0, 23);
  const kolkata = cronEnv({ TZ: 'Asia/Kolkata' });
  assert.deepEqual(ids(await history(['--since', local], kolkata)), ids([runs[4], runs[3], runs[2]] as RunJson[]));
  assert.deepEqual(ids(await history(['--since', local])), [], 'read as UTC it is 5h30 in the future');
});

test('--host narrows to one host', async () => {
  assert.equal((await history(['--host', (runs[0] as RunJson).host])).length, 5);
  assert.equal((await history(['--host', 'no-such-host'])).length, 0);
});

test('--csv is RFC 4180: commas, quotes and newlines inside a field survive a CSV reader', async () => {
  const r = await cronguard(['history', '--csv', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const records = parseCsv(r.out);
  assert.equal(records.length, 6);
  assert.deepEqual(records[0]?.slice(0, 3), ['id', 'job', 'status']);
  for (const rec of records) assert.equal(rec.length, records[0]?.length);
  const beta = records.find((rec) => rec[1] === 'beta') as string[];
  assert.equal(beta[0], runs[2]?.id);
  const command = beta[beta.length - 1] as string;
  for (const arg of TRICKY_ARGS) assert.ok(command.includes(arg), `${JSON.stringify(command)} lacks ${JSON.stringify(arg)}`);
  assert.match(r.out, /,"sh -c 'echo ""\$@""; exit 4' sh a,b 'say ""hi""' 'two\nlines'"\r\n/);
});

test('the table shows local time, status, exit and an id prefix; plain when piped', async () => {
  const r = await cronguard(['history', '--db', db], { env: cronEnv({ TZ: 'Asia/Kolkata' }) });
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.out, /\x1b/);
  const lines = r.out.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^STARTED +JOB +STATUS +EXIT +DURATION +ATTEMPTS +RUN$/);
  const gamma = runs[3] as RunJson;
  const local = new Date(Date.parse(gamma.startedAt) + 5.5 * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
  assert.match(lines[2] ?? '', new RegExp(`^${local} \\+05:30 +gamma +error +127 +\\S+ +1 +${gamma.id.slice(0, 8)}$`));
});

test('colours on a terminal, none with NO_COLOR', { skip: !HAS_SCRIPT && 'script(1) is not installed' }, () => {
  const coloured = onTerminal(['history', '--db', db]);
  assert.equal(coloured.code, 0);
  assert.match(coloured.out, /\x1b\[31mfailed\x1b\[39m/);
  const plain = onTerminal(['history', '--db', db], cronEnv({ NO_COLOR: '1' }));
  assert.match(plain.out, /alpha/);
  assert.doesNotMatch(plain.out, /\x1b\[/);
});

test('no database, or nothing matching: said plainly, not an error', async () => {
  const missing = join(dir, 'missing.db');
  const human = await cronguard(['history', '--db', missing]);
  assert.equal(human.code, 0);
  assert.equal(human.out, `no runs recorded in ${missing}\n`);
  assert.deepEqual(await cronguardJson(['history', '--json'], missing), []);
  assert.equal((await cronguard(['history', '--csv', '--db', missing])).out.split('\r\n').length, 2);
  assert.equal(existsSync(missing), false, 'reading must not create the database');
  const none = await cronguard(['history', '--db', db, '--status', 'timeout']);
  assert.equal(none.code, 0);
  assert.equal(none.out, 'no runs match\n');
});

test('wrong input: one line naming the option or job, exit 125', async () => {
  const cases: Array<[string[], RegExp]> = [
    [['history', 'alpah'], /^cronguard: no job named "alpah" in .*cg\.db/],
    [['history', 'alph'], /did you mean alpha\?/],
    [['history', '--since', 'last tuesday'], /^cronguard: --since "last tuesday": expected a duration/],
    [['history', '--until', '2024-02-30'], /^cronguard: --until "2024-02-30": no such date/],
    [['history', '--status', 'failed,broken'], /^cronguard: --status "failed,broken": "broken" is not a status/],
    [['history', '--limit', 'many'], /^cronguard: --limit "many"/],
    [['history', '--json', '--csv'], /^cronguard: --json and --csv exclude each other/],
    [['history', '--since', '1h', '--until', '2h'], /^cronguard: --since "1h" is not before --until "2h"/],
  ];
  for (const [args, message] of cases) {
    const r = await cronguard([...args, '--db', db]);
    assert.equal(r.code, 125, args.join(' '));
    assert.match(r.stderr, message);
    assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  }
  // A script asking about a job that has not run yet gets the empty answer, not an error.
  assert.deepEqual(await history(['alpah']), []);
});
