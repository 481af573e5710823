import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { spawnSync } from 'node:child_process';
import { BIN, cronEnv, cronguard, tempDir } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
const marker = join(dir, 'ran');

/** Each case: arguments before `--`, and what the one-line error must name. */
const CASES: Array<[string[], RegExp]> = [
  [['--bogus'], /unknown option "--bogus"/],
  [['--timeout', 'soon'], /--timeout "soon"/],
  [['--timeout', '0'], /--timeout "0"/],
  [['--kill-after', '5x'], /--kill-after "5x"/],
  [['--retries', '-1'], /--retries "-1"/],
  [['--retries', 'many'], /--retries "many"/],
  [['--retry-delay', '1y'], /--retry-delay "1y"/],
  [['--retry-on', 'sometimes'], /--retry-on "sometimes"/],
  [['--output-limit', '1 lightyear'], /--output-limit "1 lightyear"/],
  [['--output-limit', '2GiB'], /--output-limit "2GiB"/],
  [['--name', 'has space'], /--name "has space"/],
  [['--name', 'x'.repeat(129)], /--name "x{129}"/],
  [['--name', ''], /--name ""/],
  [['--schedule', '61 * * * *'], /--schedule "61 \* \* \* \*"/],
  [['--schedule', '* * *'], /--schedule "\* \* \*"/],
  [['--schedule', '@sometimes'], /--schedule "@sometimes"/],
  [['--tz', 'Mars/Olympus'], /--tz "Mars\/Olympus"/],
  [['--heartbeat', '10ms'], /--heartbeat "10ms"/],
  [['--overlap', 'maybe'], /--overlap "maybe"/],
  [['--tee=yes'], /--tee/],
  [['--timeout'], /--timeout needs a value/],
  [['--timeout', '25d'], /--timeout "25d": must be at most/],
  [['--heartbeat', '30d'], /--heartbeat "30d": must be at most/],
  [['--schedule', '0 0 L * *'], /--schedule "0 0 L \* \*"/],
  [['--schedule', '0 0 * * 1#2'], /--schedule "0 0 \* \* 1#2"/],
];

for (const [args, message] of CASES) {
  test(`refused before anything runs: ${args.join(' ')}`, async () => {
    const r = await cronguard(['--db', db, ...args, '--', 'sh', '-c', `touch ${marker}`]);
    assert.equal(r.code, 125);
    assert.equal(r.out, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0] ?? '', /^cronguard: /);
    assert.match(lines[0] ?? '', message);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(marker), false, 'the command must not run');
  });
}

test('a missing command is refused', async () => {
  for (const args of [[], ['--timeout', '5s'], ['--timeout', '5s', '--']]) {
    const r = await cronguard(['--db', db, ...args]);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /^cronguard: missing the command to run/);
  }
});

test('a --db or CRONGUARD_DB URL no backend serves is refused, never taken for a file path; nothing runs, nothing is created', async () => {
  const inDir = { cwd: dir };
  const byOption = await cronguard(['--db', 'mysql://u@h/db', '--', 'sh', '-c', `touch ${marker}`], inDir);
  assert.equal(byOption.code, 125);
  assert.match(byOption.stderr, /^cronguard: --db "mysql:\/\/u@h\/db": expected a file path; this cronguard has no database backend for that kind of URL\n$/);
  const byEnv = await cronguard(['history'], { ...inDir, env: cronEnv({ CRONGUARD_DB: 'foo://x' }) });
  assert.equal(byEnv.code, 125);
  assert.match(byEnv.stderr, /^cronguard: CRONGUARD_DB "foo:\/\/x"/);
  assert.equal(existsSync(marker), false, 'the command must not run');
  assert.equal(existsSync(join(dir, 'mysql:')), false, 'no file named after the URL');
});

test('nothing was recorded for refused runs', () => {
  assert.equal(existsSync(db), false);
});

test('an argument or environment value that is not UTF-8 is refused with 125 and nothing runs; a real U+FFFD is fine', () => {
  const run = (prefix: string, arg: string) => spawnSync('sh', ['-c', `${prefix} exec "$0" "$1" --db "$2" -- sh -c 'echo > "$1"' "${arg}" "$3"`, process.execPath, BIN, db, marker],
    { encoding: 'latin1', env: cronEnv() });
  const arg = run('', '$(printf "caf\\351")');
  assert.equal(arg.status, 125);
  assert.match(arg.stderr, /^cronguard: argument "caf\\xe9" is not valid UTF-8/);
  const env = run('CG_BAD=$(printf "\\377") ', 'x');
  assert.equal(env.status, 125);
  assert.match(env.stderr, /^cronguard: environment variable CG_BAD is not valid UTF-8/);
  assert.equal(existsSync(marker), false, 'nothing ran');
  const fine = run('', '$(printf "\\357\\277\\275")');
  assert.equal(fine.status, 0, fine.stderr);
  assert.equal(existsSync(marker), true);
});
