import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cronguard, cronguardJson, fixture, tempDir } from '../helpers/cli.ts';
import { HAS_SCRIPT, onTerminal, type RunJson } from '../helpers/forensics.ts';
import { cloneRun } from '../helpers/store.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
const BINARY = Buffer.from('A\x00B\xff\xfeC\x1b[2J\n', 'latin1');
let bin: RunJson;
let flaky: RunJson;

const show = (args: string[]) => cronguard(['show', ...args, '--db', db]);

before(async () => {
  await cronguard(['--db', db, '--name', 'bin', '--', fixture('binary.sh')]);
  await cronguard(['--db', db, '--name', 'flaky', '--retries', '1', '--retry-delay', '0', '--', fixture('flaky.sh'), join(dir, 'count'), '2']);
  [bin] = await cronguardJson<RunJson[]>(['history', 'bin', '--json'], db) as [RunJson];
  [flaky] = await cronguardJson<RunJson[]>(['history', 'flaky', '--json'], db) as [RunJson];
});

test('a unique prefix of 4 or more characters names the run, in any case', async () => {
  for (const prefix of [bin.id.slice(0, 4), bin.id.slice(0, 8), bin.id, bin.id.slice(0, 13).toUpperCase()]) {
    const shown = await cronguardJson<RunJson>(['show', prefix, '--json'], db);
    assert.equal(shown.id, bin.id, prefix);
  }
});

test('--json is the run of SPEC §6 with each attempt\'s kept output as UTF-8', async () => {
  const shown = await cronguardJson<RunJson>(['show', flaky.id.slice(0, 8), '--json'], db);
  assert.equal(shown.status, 'success');
  assert.deepEqual(shown.attempts.map((a) => [a.n, a.status, a.output]), [[1, 'failed', 'attempt 1\n'], [2, 'success', 'attempt 2\n']]);
  assert.deepEqual(Object.keys(shown.attempts[0] ?? {}), ['n', 'status', 'exitCode', 'signal', 'startedAt', 'endedAt', 'durationMs', 'outputBytes', 'output']);
  const binary = await cronguardJson<RunJson>(['show', bin.id, '--json'], db);
  assert.equal(binary.attempts[0]?.output, BINARY.toString('utf8'));
});

test('--raw writes the exact bytes; --attempt picks one attempt', async () => {
  const raw = await show([bin.id.slice(0, 8), '--raw']);
  assert.equal(raw.code, 0, raw.stderr);
  assert.deepEqual(raw.stdout, BINARY);
  assert.equal((await show([flaky.id, '--raw'])).out, 'attempt 1\nattempt 2\n');
  assert.equal((await show([flaky.id, '--raw', '--attempt', '2'])).out, 'attempt 2\n');
  const beyond = await show([flaky.id, '--attempt', '3']);
  assert.equal(beyond.code, 125);
  assert.match(beyond.stderr, /--attempt "3"/);
});

test('the human view lists the run and every attempt with its output; piped, the bytes go out as recorded', async () => {
  const r = await show([flaky.id.slice(0, 8)]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.out, new RegExp(`^run +${flaky.id}\n`));
  assert.match(r.out, /\nstatus +success\n/);
  assert.match(r.out, /--- attempt 1: failed \(exit 1\) after .*---\nattempt 1\n\n--- attempt 2: success after .*---\nattempt 2\n$/);
  const piped = await show([bin.id.slice(0, 8)]);
  assert.ok(piped.stdout.includes(BINARY), 'piped output keeps the bytes');
});

test('on a terminal, control sequences in the output are shown, not obeyed', { skip: !HAS_SCRIPT && 'script(1) is not installed' }, () => {
  const r = onTerminal(['show', bin.id.slice(0, 8), '--db', db]);
  assert.equal(r.code, 0);
  assert.ok(!r.out.includes('\x1b[2J'), 'the clear-screen sequence reached the terminal');
  assert.ok(!r.out.includes('\x00'), 'a NUL reached the terminal');
  assert.match(r.out, /A\^@B\ufffd\ufffdC\^\[\[2J/);
  // --raw is the way to get the bytes, terminal or not.
  assert.ok(onTerminal(['show', bin.id.slice(0, 8), '--raw', '--db', db]).out.includes('\x1b[2J'));
});

test('an ambiguous prefix lists the candidates and exits 125', async () => {
  const twin = `${bin.id.slice(0, 6)}${bin.id[6] === 'f' ? '0' : 'f'}${bin.id.slice(7)}`;
  await cloneRun(db, bin.id, twin);
  const r = await show([bin.id.slice(0, 6)]);
  assert.equal(r.code, 125);
  assert.match(r.stderr, new RegExp(`^cronguard: run id prefix "${bin.id.slice(0, 6)}" is ambiguous; it starts 2 runs:`));
  assert.ok(r.stderr.includes(bin.id) && r.stderr.includes(twin), r.stderr);
  assert.equal((await cronguardJson<RunJson>(['show', bin.id.slice(0, 7), '--json'], db)).id, bin.id);
});

test('unknown or malformed ids, a missing database: one clear line, exit 125', async () => {
  const unknown = bin.id.startsWith('0000') ? 'ffff' : '0000';
  const cases: Array<[string[], RegExp]> = [
    [['show', unknown], new RegExp(`^cronguard: no run with an id starting "${unknown}" in .*cg\\.db\n$`)],
    [['show', 'abc'], /^cronguard: RUN_ID "abc": expected at least 4 characters/],
    [['show', 'zzzzzz'], /^cronguard: RUN_ID "zzzzzz"/],
    [['show'], /^cronguard: show needs a RUN_ID/],
    [['show', bin.id, '--json', '--raw'], /exclude each other/],
  ];
  for (const [args, message] of cases) {
    const r = await cronguard([...args, '--db', db]);
    assert.equal(r.code, 125, args.join(' '));
    assert.match(r.stderr, message);
  }
  const missing = await cronguard(['show', bin.id, '--db', join(dir, 'missing.db')]);
  assert.equal(missing.code, 125);
  assert.match(missing.stderr, /no run with an id starting/);
});
