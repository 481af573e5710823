import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cronEnv, cronguard, cronguardJson, fixture, tempDir, waitFor } from '../helpers/cli.ts';
import { recordedRuns } from '../helpers/store.ts';
import { isAlive, processesMarked } from '../helpers/procs.ts';

interface P { job: string; kind: string; since: string; runId: string | null; message: string }
interface SweepJson { at: string; problems: P[]; resolved: P[] }

const dir = tempDir();
/** A sweep of `db` that reads no crontab, as JSON, with its exit code. */
async function sweep(db: string, ...extra: string[]): Promise<{ code: number | null; json: SweepJson; stderr: string }> {
  const r = await cronguard(['sweep', '--json', '--crontab', '/dev/null', '--db', db, ...extra]);
  return { code: r.code, json: JSON.parse(r.out) as SweepJson, stderr: r.stderr };
}
/** The same sweep with the test clock at `at`: a real sweep, state included, as cron's would be then. */
async function sweepAt(db: string, at: string, ...extra: string[]): Promise<{ code: number | null; json: SweepJson; stderr: string }> {
  const r = await cronguard(['sweep', '--json', '--crontab', '/dev/null', '--db', db, ...extra], { env: cronEnv({ CRONGUARD_TEST_NOW: at }) });
  return { code: r.code, json: JSON.parse(r.out) as SweepJson, stderr: r.stderr };
}
const history = (db: string) => cronguardJson<Array<{ id: string; status: string; endedAt: string | null }>>(['history', '--json'], db);

test('a wrapper killed with SIGKILL mid-run is found stuck and marked lost; the next sweep is quiet', async () => {
  const db = join(dir, 'stuck.db');
  const mark = `CG_SWEEP_TEST=${process.pid}-stuck`;
  after(() => { for (const pid of processesMarked(mark)) try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } });
  let wrapper = 0;
  const env = cronEnv({ [mark.split('=')[0] as string]: mark.split('=')[1] as string });
  const done = cronguard(['--name', 'stuck', '--heartbeat', '1s', '--db', db, '--', fixture('sleep-forever.sh')], { env, onSpawn: (pid) => { wrapper = pid; } });
  await waitFor(() => processesMarked(mark).some((pid) => pid !== wrapper), 15_000, 'the command to start');
  const [command] = processesMarked(mark).filter((pid) => pid !== wrapper);
  await waitFor(async () => (await recordedRuns(db, { job: 'stuck' }))[0]?.pgid != null, 15_000, "the command's group on record");
  process.kill(wrapper, 'SIGKILL');
  await done;
  assert.ok(command && isAlive(command), 'the command outlives its wrapper');

  const first = await sweep(db);
  assert.equal(first.code, 1, first.stderr);
  const stuck = first.json.problems.find((p) => p.kind === 'stuck');
  assert.ok(stuck, JSON.stringify(first.json));
  assert.equal(stuck.job, 'stuck');
  assert.match(stuck.message, /wrapper \(pid \d+\) is gone.*marked lost.*process group \d+ outlived the wrapper/);
  assert.deepEqual(first.json.problems.map((p) => p.kind).sort(), ['failing', 'stuck']);
  const [run] = await history(db);
  assert.equal(run?.status, 'lost');
  assert.equal(run?.id, stuck.runId);
  assert.ok(run?.endedAt);

  const second = await sweep(db);
  assert.deepEqual([second.code, second.json.problems, second.json.resolved], [0, [], []]);
});

test('overdue via a recorded --schedule, reported once', async () => {
  const db = join(dir, 'schedule.db');
  const ran = await cronguard(['--name', 'nightly', '--schedule', '0 3 * * *', '--tz', 'UTC', '--db', db, '--', fixture('exit-n.sh'), '0']);
  assert.equal(ran.code, 0, ran.stderr);
  const next = new Date();
  next.setUTCHours(3, 0, 0, 0);
  if (next.getTime() <= Date.now()) next.setUTCDate(next.getUTCDate() + 1);
  const at = (minutes: number) => new Date(next.getTime() + minutes * 60_000).toISOString();
  assert.equal((await sweepAt(db, at(4))).code, 0);
  const late = await sweepAt(db, at(6));
  assert.equal(late.code, 1);
  assert.deepEqual(late.json.problems.map((p) => [p.job, p.kind, p.since, p.runId]), [['nightly', 'overdue', next.toISOString(), null]]);
  assert.equal(late.json.at, at(6));
  const again = await sweepAt(db, at(7));
  assert.deepEqual([again.code, again.json.problems], [0, []]);
  const all = await sweepAt(db, at(8), '--all');
  assert.deepEqual([all.code, all.json.problems.map((p) => p.kind)], [1, ['overdue']]);
});

test('failing, then resolved after a success', async () => {
  const db = join(dir, 'failing.db');
  const run = (code: string) => cronguard(['--name', 'flaky', '--db', db, '--', fixture('exit-n.sh'), code]);
  assert.equal((await run('3')).code, 3);
  const first = await sweep(db);
  assert.equal(first.code, 1);
  assert.deepEqual(first.json.problems.map((p) => [p.job, p.kind]), [['flaky', 'failing']]);
  assert.match(first.json.problems[0]?.message ?? '', /failed \(exit 3\)/);
  assert.equal((await sweep(db)).code, 0);
  assert.equal((await run('0')).code, 0);
  const fixed = await sweep(db);
  assert.equal(fixed.code, 1);
  assert.deepEqual([fixed.json.problems, fixed.json.resolved.map((p) => [p.job, p.kind])], [[], [['flaky', 'failing']]]);
  // A long-running wrapper keeps the database open, so SQLite never resets the WAL on close: sweep truncates it.
  const holder = new Database(db);
  holder.prepare('SELECT count(*) FROM runs').get();
  assert.equal((await run('0')).code, 0);
  assert.ok(statSync(`${db}-wal`).size > 0, 'the run wrote to the WAL');
  assert.equal((await sweep(db)).code, 0);
  assert.equal(statSync(`${db}-wal`).size, 0);
  holder.close();
});

test('the sweep notices when the sweep before it is overdue itself', async () => {
  const db = join(dir, 'watcher.db');
  for (const t of ['2026-06-01T10:00:00Z', '2026-06-01T10:30:00Z', '2026-06-01T11:00:00Z']) assert.equal((await sweepAt(db, t)).code, 0);
  const r = await cronguard(['sweep', '--crontab', '/dev/null', '--db', db], { env: cronEnv({ TZ: 'UTC', CRONGUARD_TEST_NOW: '2026-06-01T14:00:00Z' }) });
  assert.equal(r.code, 1);
  assert.match(r.out, /previous sweep ran at 2026-06-01 11:00 \+00:00, 3h00m earlier: more than twice the usual 30m00s/);
});

test('bad sweep options are refused with exit 125, naming option and value', async () => {
  for (const [args, pattern] of [
    [['--at', 'yesterday'], /--at "yesterday"/],
    [['--stale', '0'], /--stale "0"/],
    [['--max-runtime', 'long'], /--max-runtime "long"/],
    [['--crontab', join(dir, 'missing')], /--crontab ".*missing": cannot read it/],
    [['--cron', 'bsd'], /--cron "bsd": expected cronie or debian/],
  ] as const) {
    const r = await cronguard(['sweep', '--db', join(dir, 'bad.db'), ...args]);
    assert.equal(r.code, 125, r.stderr);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1);
  }
  const clock = await cronguard(['sweep', '--db', join(dir, 'bad.db')], { env: cronEnv({ CRONGUARD_TEST_NOW: 'soon' }) });
  assert.equal(clock.code, 125);
  assert.match(clock.stderr, /^cronguard: CRONGUARD_TEST_NOW "soon": expected an ISO-8601 time/);
});
