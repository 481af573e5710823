import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { BIN, cronEnv, cronguard, fixture, tempDir } from '../helpers/cli.ts';

interface P { job: string; kind: string }
interface SweepJson { problems: P[]; resolved: P[] }

const dir = tempDir();
/** A sweep reading no crontab, as JSON; `fault` makes it die between deciding and printing. */
async function sweep(db: string, fault = false): Promise<{ code: number | null; json: SweepJson | null; out: string; stderr: string }> {
  const env = cronEnv(fault ? { CRONGUARD_TEST_FAULT: 'sweep-before-report' } : {});
  const r = await cronguard(['sweep', '--json', '--crontab', '/dev/null', '--db', db], { env });
  return { code: r.code, json: r.out ? (JSON.parse(r.out) as SweepJson) : null, out: r.out, stderr: r.stderr };
}
const kinds = (ps: P[] | undefined) => (ps ?? []).map((p) => `${p.job}:${p.kind}`);

test('a sweep that dies after deciding and before printing leaves its news to the next sweep', async () => {
  const db = join(dir, 'crash.db');
  const run = (code: string) => cronguard(['--name', 'nightly', '--db', db, '--', fixture('exit-n.sh'), code]);
  assert.equal((await run('3')).code, 3);
  const crashed = await sweep(db, true);
  assert.deepEqual([crashed.code, crashed.out], [125, ''], crashed.stderr);
  assert.match(crashed.stderr, /injected fault/);
  const next = await sweep(db);
  assert.equal(next.code, 1, next.stderr);
  assert.deepEqual(kinds(next.json?.problems), ['nightly:failing'], 'the failure the crashed sweep decided is still news');
  assert.deepEqual(kinds((await sweep(db)).json?.problems), [], 'and once printed, it is told');

  assert.equal((await run('0')).code, 0);
  assert.equal((await sweep(db, true)).code, 125);
  const fixed = await sweep(db);
  assert.deepEqual([fixed.code, kinds(fixed.json?.resolved)], [1, ['nightly:failing']], 'the resolution is not lost either');
  assert.deepEqual([(await sweep(db)).code], [0]);
});

test('sweeps during a burst of runs: no busy database, no warning, no spooled record, no error', { timeout: 600_000 }, async () => {
  const db = join(dir, 'busy.db');
  assert.equal((await cronguard(['--name', 'seed', '--db', db, '--', 'true'])).code, 0);
  const runs = Array.from({ length: 40 }, (_, i) => cronguard(['--name', `job-${i % 8}`, '--db', db, '--', fixture('exit-n.sh'), String(i % 5 === 0 ? 1 : 0)], { limitMs: 300_000 }));
  const sweeps = Array.from({ length: 10 }, () => cronguard(['sweep', '--crontab', '/dev/null', '--db', db], { limitMs: 300_000 }));
  const ranAll = await Promise.all(runs);
  const sweptAll = await Promise.all(sweeps);
  for (const r of ranAll) assert.equal(r.stderr, '', 'a run said something on stderr (busy database? spooled?)');
  for (const s of sweptAll) {
    assert.ok(s.code === 0 || s.code === 1, `sweep exit ${s.code}: ${s.stderr}`);
    assert.doesNotMatch(s.stderr, /busy|locked|spool/i);
  }
  const history = JSON.parse((await cronguard(['history', '--limit', '0', '--json', '--db', db])).out) as unknown[];
  assert.equal(history.length, 41, 'every run recorded in the database');
});

test('a burst of sweeps run by hand teaches the watcher nothing: the next cron sweep is not called late', async () => {
  const db = join(dir, 'watcher.db');
  const byHand = (at: string) => new Promise<number | null>((resolve, reject) => {
    // script(1) gives the sweep a terminal, as a person's shell would.
    const command = [process.execPath, BIN, 'sweep', '--crontab', '/dev/null', '--db', db].map((w) => `'${w}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['ignore', 'ignore', 'inherit'], env: cronEnv({ CRONGUARD_TEST_NOW: at }) });
    child.on('error', reject);
    child.on('close', resolve);
  });
  // A minute apart: as close as cron could run them, so only their being by hand keeps them out.
  for (const at of ['2026-06-01T10:00:00Z', '2026-06-01T10:01:00Z', '2026-06-01T10:02:00Z']) assert.equal(await byHand(at), 0);
  const cron = await cronguard(['sweep', '--crontab', '/dev/null', '--db', db], { env: cronEnv({ CRONGUARD_TEST_NOW: '2026-06-01T11:00:00Z' }) });
  assert.equal(cron.code, 0, cron.out + cron.stderr);
  assert.doesNotMatch(cron.out + cron.stderr, /more than twice the usual/);
});

test('--all and --dry-run only look: the next plain sweep still reports the news, and a notify command hears it', async () => {
  const db = join(dir, 'look.db');
  const heard = join(dir, 'heard');
  assert.equal((await cronguard(['--name', 'looked-at', '--db', db, '--', fixture('exit-n.sh'), '2'])).code, 2);
  const dry = await cronguard(['sweep', '--dry-run', '--json', '--crontab', '/dev/null', '--db', db, '--notify-command', `cat >> ${heard}`]);
  assert.deepEqual([dry.code, kinds((JSON.parse(dry.out) as SweepJson).problems)], [1, ['looked-at:failing']]);
  const all = await cronguard(['sweep', '--all', '--crontab', '/dev/null', '--db', db]);
  assert.equal(all.code, 1);
  assert.match(all.out, /NEW\s+failing\s+looked-at/, 'not printed by any plain sweep yet: NEW');
  const plain = await sweep(db);
  assert.deepEqual([plain.code, kinds(plain.json?.problems)], [1, ['looked-at:failing']], 'looking consumed nothing');
  const after = await cronguard(['sweep', '--all', '--crontab', '/dev/null', '--db', db]);
  assert.match(after.out, /OPEN\s+failing\s+looked-at/);
  assert.throws(() => readFileSync(heard), 'a look sends nothing');
});

test('sweep --host on SQLite (two hosts by CRONGUARD_HOST): that host\'s problems only, as --all; nothing written, nothing resolved', async () => {
  const db = join(dir, 'hosts.db');
  // Options before a run's command; a command's (sweep's) after its name.
  const on = (host: string, args: string[]) => cronguard(args[0] === 'sweep' ? [...args, '--db', db] : ['--db', db, ...args], { env: cronEnv({ CRONGUARD_HOST: host }) });
  assert.equal((await on('alpha', ['--name', 'x', '--', 'false'])).code, 1);
  assert.equal((await on('beta', ['--name', 'x', '--', 'true'])).code, 0);
  assert.equal((await on('beta', ['--name', 'y', '--', 'false'])).code, 1);
  const crontab = join(dir, 'hosts.crontab');
  writeFileSync(crontab, `* * * * * ${BIN} --name minutely -- true\n`);
  // Beta's sweep records its crontab (first seen now) and reports y; x is not failing: its latest run, beta's, succeeded.
  const first = await on('beta', ['sweep', '--json', '--crontab', crontab]);
  assert.equal(first.code, 1, first.stderr);
  assert.deepEqual((JSON.parse(first.out) as SweepJson).problems.map((p) => p.job), ['y']);
  const lastSweepAt = async () => (JSON.parse((await cronguard(['status', '--json', '--db', db])).out) as { lastSweepAt: string }).lastSweepAt;
  const sweptAt = await lastSweepAt();
  const later = new Date(Date.now() + 15 * 60_000).toISOString();
  const look = async (as: string, host: string) => {
    const r = await on(as, ['sweep', '--json', '--crontab', crontab, '--at', later, '--host', host]);
    return [r.code, (JSON.parse(r.out) as SweepJson).problems.map((p) => `${p.job}/${p.kind}`).sort()];
  };
  // The crontab read is the looking host's own: it counts for its own part only.
  assert.deepEqual(await look('beta', 'beta'), [1, ['minutely/overdue', 'y/failing']]);
  assert.deepEqual(await look('beta', 'alpha'), [1, ['x/failing']]);
  assert.deepEqual(await look('alpha', 'alpha'), [1, ['minutely/overdue', 'x/failing']]);
  // Nothing was written: no sweep logged, and the next real sweep has no news and resolves nothing.
  assert.equal(await lastSweepAt(), sweptAt);
  const second = await on('beta', ['sweep', '--json', '--crontab', crontab]);
  assert.deepEqual([second.code, (JSON.parse(second.out) as SweepJson).problems, (JSON.parse(second.out) as SweepJson).resolved], [0, [], []], second.stderr);
});

test('--at only looks: the next plain sweep prints exactly what it would have printed without it', async () => {
  const real = join(dir, 'at.db');
  const twin = join(dir, 'at-twin.db');
  const notified = join(dir, 'at-notified');
  const run = (job: string, code: string) => cronguard(['--name', job, '--db', real, '--', fixture('exit-n.sh'), code]);
  const start = Date.now();
  const minutes = (n: number) => new Date(start + n * 60_000).toISOString();
  const plain = (db: string, at: string) => cronguard(['sweep', '--crontab', '/dev/null', '--db', db], { env: cronEnv({ TZ: 'UTC', CRONGUARD_TEST_NOW: at }) });
  assert.equal((await run('healed', '3')).code, 3);
  for (const at of [minutes(1), minutes(31), minutes(61)]) assert.ok([0, 1].includes((await plain(real, at)).code ?? -1));
  assert.equal((await run('healed', '0')).code, 0);
  assert.equal((await run('fresh', '4')).code, 4);
  const copy = new Database(real);
  await copy.backup(twin);
  copy.close();

  const looked = await cronguard(['sweep', '--crontab', '/dev/null', '--db', real, '--at', minutes(600), '--notify-command', `cat >> ${notified}`], { env: cronEnv({ TZ: 'UTC' }) });
  assert.equal(looked.code, 1, looked.stderr);
  assert.match(looked.out, /fresh/);
  assert.match(looked.out, /resolved/);
  const after = await plain(real, minutes(91));
  const without = await plain(twin, minutes(91));
  assert.deepEqual([after.code, after.out, after.stderr], [without.code, without.out, without.stderr]);
  assert.equal(after.code, 1);
  assert.match(after.out, /NEW\s+failing\s+fresh/);
  assert.match(after.out, /resolved/i);
  assert.match(after.out, /previous sweep: .* \(30m00s earlier\)/);
  assert.throws(() => readFileSync(notified), '--at sends nothing');
});

test("the watcher expects sweeps on sweep's own crontab line: a burst by hand raises nothing, a cron sweep past the line's next start plus grace is late", async () => {
  const db = join(dir, 'line.db');
  const crontab = join(dir, 'sweep-line.crontab');
  writeFileSync(crontab, `*/30 * * * * ${BIN} sweep\n`);
  const args = ['sweep', '--crontab', crontab, '--db', db];
  const cron = (at: string) => cronguard(args, { env: cronEnv({ TZ: 'UTC', CRONGUARD_TEST_NOW: at }) });
  const byHand = (at: string) => new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    // script(1) gives the sweep a terminal, as a person's shell would; its output is the terminal's.
    const command = [process.execPath, BIN, ...args].map((w) => `'${w}'`).join(' ');
    const child = spawn('script', ['-qec', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'inherit'], env: cronEnv({ TZ: 'UTC', CRONGUARD_TEST_NOW: at }) });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, out }));
  });
  assert.equal((await cron('2026-06-01T10:00:02Z')).code, 0);
  for (const at of ['2026-06-01T10:05:00Z', '2026-06-01T10:05:01Z', '2026-06-01T10:05:02Z', '2026-06-01T12:00:00Z']) {
    const hand = await byHand(at);
    assert.equal(hand.code, 0, hand.out);
    assert.doesNotMatch(hand.out, /were cron/);
  }
  const onTime = await cron('2026-06-01T10:30:03Z');
  assert.deepEqual([onTime.code, onTime.out, onTime.stderr], [0, '', ''], 'on the line\'s time, whatever the hand-run sweeps did');
  const withinGrace = await cron('2026-06-01T11:04:00Z');
  assert.deepEqual([withinGrace.code, withinGrace.stderr], [0, '']);
  // Only two cron sweeps before it: the usual interval is not known yet, the line says what to expect.
  const late = await cron('2026-06-01T11:40:00Z');
  assert.equal(late.code, 1, late.stderr);
  assert.match(late.out, /the previous sweep ran at 2026-06-01 11:04 \+00:00, 36m00s earlier, but sweep's crontab line \(\*\/30 \* \* \* \*, .*sweep-line\.crontab:1\) called for one at 2026-06-01 11:30 \+00:00 \(grace 5m00s\); were cron or this host down\?/);
});
