import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cronEnv, cronguard, cronguardJson, tempDir } from '../helpers/cli.ts';
import { execute } from '../helpers/db.ts';
import { HAS_SCRIPT, onTerminal } from '../helpers/forensics.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
const EVIL = 'evil\x1b[2J\x1b]0;owned\x07\u202ename';
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const visible = (line: string) => [...line.replace(ANSI, '')].length;

before(async () => {
  const record = (name: string, ...argv: string[]) => cronguard(['--db', db, '--name', name, ...argv]);
  // Oldest first: success, failure, timeout, success; the strip shows them left to right.
  await record('mixed', '--', 'true');
  await record('mixed', '--', 'sh', '-c', 'exit 3');
  // 2 s: the tallest bar even when a loaded machine stretches the 0.2 s run below by a second or more.
  await record('mixed', '--timeout', '2s', '--kill-after', '1s', '--', 'sleep', '5');
  await record('mixed', '--', 'sh', '-c', 'sleep 0.2');
  for (let i = 0; i < 30; i++) await record('busy', '--', 'true');
  await record('renamed', '--', 'true');
  // Another writer of the database gives a job a name full of terminal controls.
  execute(db, 'UPDATE runs SET job = ? WHERE job = ?', EVIL, 'renamed');
  execute(db, 'UPDATE jobs SET name = ? WHERE name = ?', EVIL, 'renamed');
});

test('in a pipe: the strip in letters, newest right, and a sparkline of the same runs; nothing raw', async () => {
  const r = await cronguard(['status', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.out, /\x1b/);
  assert.match(r.out, /^JOB +RUNS +TREND +SCHEDULE +LAST +STARTED +DURATION +NEXT +FAILING$/m);
  const mixed = r.out.split('\n').find((l) => l.startsWith('mixed')) ?? '';
  assert.match(mixed, /^mixed +sFTs +[▁▂▃▄▅▆▇█]{4} +- +success /);
  // The timeout (2s and more) is the longest of the four: the tallest bar, third from the right.
  assert.equal(/ ([▁▂▃▄▅▆▇█]{4}) /.exec(mixed)?.[1]?.[2], '█');
  // A pipe has no width: 20 runs of the 30.
  assert.match(r.out, /^busy +s{20} /m);
  assert.ok(r.out.includes('evil^[[2J^[]0;owned^G<U+202E>name'), r.out);
});

test('80 columns in a pipe (COLUMNS), 200 and 60: every line fits, the strip grows with the width', async () => {
  for (const columns of [80, 200, 60]) {
    const r = await cronguard(['status', '--db', db], { env: cronEnv({ COLUMNS: String(columns) }) });
    assert.equal(r.code, 0, r.stderr);
    // The table fits any width; the closing sentence about sweep (prose, not cut) fits 80.
    const lines = r.out.trimEnd().split('\n');
    const table = lines.slice(0, lines.findIndex((l) => /^(sweep|last sweep)/.test(l)));
    for (const line of columns >= 80 ? lines : table) assert.ok(visible(line) <= columns, `${columns}: ${line}`);
    const busy = /^busy +(s+) /m.exec(r.out)?.[1] ?? '';
    if (columns === 200) assert.equal(busy.length, 30, r.out);
    else assert.ok(busy.length >= 5 && busy.length < 30, `${columns}: ${busy}`);
  }
});

test('on a terminal: coloured cells (green success, red failure, magenta timeout); NO_COLOR gives letters', (t) => {
  if (!HAS_SCRIPT) return t.skip('script(1) is not available');
  const r = onTerminal(['status', '--db', db], cronEnv({ COLUMNS: '100' }));
  assert.equal(r.code, 0, r.out);
  const mixed = r.out.split('\n').find((l) => l.startsWith('mixed')) ?? '';
  assert.ok(mixed.includes('\x1b[32m▄\x1b[39m\x1b[31m█\x1b[39m\x1b[35m█\x1b[39m\x1b[32m▄\x1b[39m'), JSON.stringify(mixed));
  assert.ok(!r.out.includes('\x1b[2J') && !r.out.includes('\x1b]0;'), 'a stored name cannot drive the terminal');
  for (const line of r.out.trimEnd().split(/\r?\n/)) assert.ok(visible(line) <= 100, line);
  const plain = onTerminal(['status', '--db', db], cronEnv({ COLUMNS: '100', NO_COLOR: '1' }));
  assert.doesNotMatch(plain.out, /\x1b\[3\dm/);
  assert.match(plain.out, /^mixed +sFTs /m);
});

test('--json is unchanged by the strips', async () => {
  const status = await cronguardJson<{ jobs: Array<Record<string, unknown>> }>(['status', '--json'], db);
  for (const j of status.jobs) {
    assert.deepEqual(Object.keys(j), ['job', 'schedule', 'tz', 'lastStatus', 'lastStartedAt', 'lastDurationMs', 'nextExpectedAt', 'failureStreak', 'lastHost']);
  }
});

test('stats JOB adds a histogram of its durations; --json does not', async () => {
  const r = await cronguard(['stats', 'mixed', '--db', db], { env: cronEnv({ COLUMNS: '80' }) });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.out, /^durations of mixed \(4 finished runs\):$/m);
  const bars = r.out.split('\n').filter((l) => /^ +\S+–\S+ /.test(l));
  assert.ok(bars.length >= 2 && bars.length <= 12, r.out);
  assert.equal(bars.reduce((n, l) => n + Number(/ (\d+)(?: +p\d\d.*)?$/.exec(l)?.[1]), 0), 4, r.out);
  assert.match(r.out, /p50/);
  assert.match(r.out, /p95/);
  for (const line of r.out.trimEnd().split('\n').slice(2)) assert.ok(visible(line) <= 80, line);
  const json = await cronguardJson<unknown[]>(['stats', 'mixed', '--json'], db);
  assert.equal(json.length, 1);
  assert.doesNotMatch(JSON.stringify(json), /durations of/);
});

test('--host on SQLite (two hosts by CRONGUARD_HOST): the strip, the sparkline and the histogram count only its runs', async () => {
  const shared = join(dir, 'hosts.db');
  const on = (host: string, ...argv: string[]) => cronguard(['--db', shared, '--name', 'twin', ...argv], { env: cronEnv({ CRONGUARD_HOST: host }) });
  await on('alpha', '--', 'true');
  await on('beta', '--', 'sh', '-c', 'exit 3');
  await on('alpha', '--', 'true');
  await on('beta', '--', 'sh', '-c', 'exit 4');
  await on('beta', '--', 'true');
  const read = (...argv: string[]) => cronguard([...argv, '--db', shared]);
  assert.match((await read('status')).out, /^twin +sFsFs +[▁▂▃▄▅▆▇█]{5} +- +success /m);
  assert.match((await read('status', '--host', 'beta')).out, /^twin +FFs +[▁▂▃▄▅▆▇█]{3} +- +success /m);
  assert.match((await read('status', '--host', 'alpha')).out, /^twin +ss +[▁▂▃▄▅▆▇█]{2} +- +success /m);
  assert.match((await read('stats', 'twin', '--host', 'alpha')).out, /^durations of twin \(2 finished runs\):$/m);
  assert.match((await read('stats', 'twin')).out, /^durations of twin \(5 finished runs\):$/m);
  const json = await cronguardJson<{ jobs: Array<{ job: string; lastHost: string | null; failureStreak: number }> }>(['status', '--json', '--host', 'alpha'], shared);
  assert.deepEqual(json.jobs.map((j) => [j.job, j.lastHost, j.failureStreak]), [['twin', 'alpha', 0]]);
});
