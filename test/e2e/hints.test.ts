import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, tempDir } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
const marker = join(dir, 'ran');
const touch = ['--', 'sh', '-c', `touch ${marker}`];

/** A refusal: exit 125, one `cronguard:` line matching `message`, nothing run. */
async function refused(args: string[], message: RegExp): Promise<void> {
  const r = await cronguard(args);
  assert.equal(r.code, 125, `${args.join(' ')}: ${r.stderr}`);
  assert.equal(r.stderr.trimEnd().split('\n').length, 1, r.stderr);
  assert.match(r.stderr, /^cronguard: /);
  assert.match(r.stderr, message);
  assert.equal(existsSync(marker), false, 'nothing may run');
}

test('an unknown option is refused with the closest option of that command', async () => {
  await refused(['--db', db, '--timout', '5s', ...touch], /unknown option "--timout" for the run mode; did you mean --timeout\?/);
  await refused(['--db', db, '--retires', '2', ...touch], /did you mean --retries\?/);
  await refused(['history', '--db', db, '--stauts', 'failed'], /unknown option "--stauts" for "history"; did you mean --status\?/);
  // An option of another command says which one has it.
  await refused(['--db', db, '--status', 'failed', ...touch], /--status is an option of cronguard history/);
  // Nothing close: no guess.
  const far = await cronguard(['--db', db, '--frobnicate', ...touch]);
  assert.doesNotMatch(far.stderr, /did you mean/);
});

test('a value outside an option\'s choices is refused with the closest choice', async () => {
  await refused(['--db', db, '--overlap', 'skp', ...touch], /--overlap "skp": expected allow, skip or wait; did you mean skip\?/);
  await refused(['--db', db, '--notify-format', 'slak', ...touch], /--notify-format "slak": expected json or slack; did you mean slack\?/);
  await refused(['--db', db, '--retry-on', '75,timout', ...touch], /"timout" is neither .*did you mean timeout\?/);
  await refused(['history', '--db', db, '--status', 'failed,tmeout'], /"tmeout" is not a status.*did you mean timeout\?/);
});

test('--version works anywhere among cronguard\'s options, never taken from the wrapped command', async () => {
  for (const args of [['--version'], ['-V'], ['history', '--version'], ['sweep', '--json', '--version'], ['--db', db, '--version', ...touch]]) {
    const r = await cronguard(args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.out, /^\d+\.\d+\.\d+\n$/, args.join(' '));
  }
  assert.equal(existsSync(marker), false, '--version runs nothing');
  const wrapped = await cronguard(['--db', db, '--', 'sh', '-c', 'echo "got $1"; exit 3', 'sh', '--version']);
  assert.equal(wrapped.code, 3);
  assert.match(wrapped.out, /got --version/);
});

test('a command not found that looks like a subcommand or a unit after a duration: the hint, exit 127, no job recorded', async () => {
  const hintsDb = join(dir, 'typo.db');
  for (const [args, message] of [
    [['histroy'], /^cronguard: command "histroy" not found; did you mean cronguard history\?\n$/],
    [['sweeep', '--all'], /^cronguard: command "sweeep" not found; did you mean cronguard sweep\?\n$/],
    [['--timeout', '5', 'min', 'sh', '-c', 'true'], /^cronguard: command "min" not found; did you mean --timeout 5m\?\n$/],
    [['--kill-after=2', 'hours', 'true'], /^cronguard: command "hours" not found; did you mean --kill-after 2h\?\n$/],
  ] as const) {
    const r = await cronguard(['--db', hintsDb, ...args]);
    assert.equal(r.code, 127, `${args.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, message);
    assert.equal(r.out, '');
  }
  assert.equal(existsSync(hintsDb), false, 'a typo is not recorded as a job');
  // After "--" the word is the command, as given: it runs (and is not found) like any other.
  const explicit = await cronguard(['--db', hintsDb, '--', 'histroy']);
  assert.equal(explicit.code, 127);
  assert.match(explicit.out, /command not found: histroy/);
});

test('an unknown job gets the closest known names', async () => {
  const jobsDb = join(dir, 'jobs.db');
  await cronguard(['--db', jobsDb, '--name', 'nc-fail', '--', 'sh', '-c', 'exit 1']);
  await cronguard(['--db', jobsDb, '--name', 'backup', '--', 'true']);
  for (const typed of ['nc-fial', 'nc-fai', 'NC-FAIL']) {
    const r = await cronguard(['history', typed, '--db', jobsDb]);
    assert.equal(r.code, 125);
    assert.match(r.stderr, /; did you mean nc-fail\?\n$/, typed);
  }
  const stats = await cronguard(['stats', 'backpu', '--db', jobsDb]);
  assert.match(stats.stderr, /did you mean backup\?/);
});
