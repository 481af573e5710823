import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { writeFileSync } from 'node:fs';
import { cronguard, cronguardJson, fixture, sleep, tempDir, waitFor } from '../helpers/cli.ts';
import { gate, holdsOpen } from '../helpers/gate.ts';
import { recordedRuns } from '../helpers/store.ts';
import { killAll, markedJob, processesMarked } from '../helpers/procs.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
const statuses = async (job: string) =>
  (await cronguardJson<Array<{ status: string }>>(['history', job, '--json'], db)).map((r) => r.status).reverse();
const runningCount = async (job: string) => (await recordedRuns(db, { job, statuses: ['running'] })).length;

test('--overlap skip: a second run while the first lives is recorded skipped and exits 0, quietly', async () => {
  const held = gate(dir);
  const first = cronguard(['--db', db, '--name', 'sk', '--overlap', 'skip', '--', ...held.argv]);
  await waitFor(async () => (await runningCount('sk')) === 1, 10_000, 'the first run');
  const second = await cronguard(['--db', db, '--name', 'sk', '--overlap', 'skip', '--', 'sh', '-c', 'echo ran; exit 9']);
  assert.equal(second.code, 0);
  assert.equal(second.out, '');
  held.open();
  assert.equal((await first).code, 0);
  assert.deepEqual(await statuses('sk'), ['success', 'skipped']);
  const third = await cronguard(['--db', db, '--name', 'sk', '--overlap', 'skip', '--', 'true']);
  assert.equal(third.code, 0);
  assert.deepEqual(await statuses('sk'), ['success', 'skipped', 'success']);
});

test('--overlap wait: runs once the earlier run ends', async () => {
  const held = gate(dir);
  const first = cronguard(['--db', db, '--name', 'wt', '--', ...held.argv]);
  await waitFor(async () => (await runningCount('wt')) === 1, 10_000, 'the first run');
  let waiter = 0;
  const waiting = cronguard(['--db', db, '--name', 'wt', '--overlap', 'wait', '--', 'true'], { onSpawn: (pid) => { waiter = pid; } });
  // Once the second wrapper has the database open, it finds the first run holding the job: let that end.
  await waitFor(() => holdsOpen(waiter, db), 15_000, 'the second run at the database');
  held.open();
  const second = await waiting;
  assert.equal(second.code, 0);
  await first;
  const runs = await cronguardJson<Array<{ status: string; startedAt: string; endedAt: string }>>(['history', 'wt', '--json'], db);
  assert.deepEqual(runs.map((r) => r.status), ['success', 'success']);
  assert.ok(Date.parse(runs[0]?.startedAt ?? '') >= Date.parse(runs[1]?.endedAt ?? ''), 'the second started after the first ended');
});

test('--overlap wait is bounded by --timeout: waiting in vain records skipped and says so', async () => {
  const held = gate(dir);
  const first = cronguard(['--db', db, '--name', 'wv', '--', ...held.argv]);
  await waitFor(async () => (await runningCount('wv')) === 1, 10_000, 'the first run');
  const second = await cronguard(['--db', db, '--name', 'wv', '--overlap', 'wait', '--timeout', '1s', '--', 'true']);
  assert.equal(second.code, 0);
  assert.match(second.out, /skipped: waited 1s in vain/);
  held.open();
  await first;
  assert.deepEqual(await statuses('wv'), ['success', 'skipped']);
});

test('a holder killed with SIGKILL (wrapper and group) never blocks the job', async () => {
  const { mark, env } = markedJob();
  let pid = 0;
  const holder = cronguard(['--db', db, '--name', 'stale', '--', fixture('sleep-forever.sh')], { env, onSpawn: (p) => { pid = p; } });
  await waitFor(async () => (await runningCount('stale')) === 1, 10_000, 'the holder');
  process.kill(pid, 'SIGKILL');
  await holder;
  killAll(processesMarked(mark));
  const next = await cronguard(['--db', db, '--name', 'stale', '--overlap', 'skip', '--', 'true']);
  assert.equal(next.code, 0);
  assert.deepEqual(await statuses('stale'), ['running', 'success'], 'the dead holder stays running for sweep; the new run ran');
});

test('a wrapper gone but its command group alive still holds the job', async () => {
  const { mark, env } = markedJob();
  let pid = 0;
  const holder = cronguard(['--db', db, '--name', 'orphan', '--', fixture('sleep-forever.sh')], { env, onSpawn: (p) => { pid = p; } });
  await waitFor(async () => (await recordedRuns(db, { job: 'orphan' })).some((r) => r.pgid !== null), 10_000, 'the holder and its command');
  process.kill(pid, 'SIGKILL');
  await holder;
  try {
    const next = await cronguard(['--db', db, '--name', 'orphan', '--overlap', 'skip', '--', 'true']);
    assert.equal(next.code, 0);
    assert.deepEqual(await statuses('orphan'), ['running', 'skipped']);
  } finally {
    killAll(processesMarked(mark));
  }
});

test('--overlap wait waits its whole bound, even a bound shorter than one look', async () => {
  const stop = join(dir, 'stop-full');
  const first = cronguard(['--db', db, '--name', 'wfull', '--', 'sh', '-c', `while [ ! -e ${stop} ]; do sleep 0.05; done`]);
  try {
    await waitFor(async () => (await runningCount('wfull')) === 1, 10_000, 'the first run');
    const started = Date.now();
    const second = await cronguard(['--db', db, '--name', 'wfull', '--overlap', 'wait', '--timeout', '1s', '--', 'true']);
    assert.ok(Date.now() - started >= 1000, `gave up after ${Date.now() - started} ms, before its 1 s bound`);
    assert.match(second.out, /skipped: waited 1s in vain/);
  } finally {
    writeFileSync(stop, '');
    await first;
  }
});

test('--overlap wait runs when the holder ends inside the bound, late in it', async () => {
  const stop = join(dir, 'stop-late');
  const first = cronguard(['--db', db, '--name', 'wlate', '--', 'sh', '-c', `while [ ! -e ${stop} ]; do sleep 0.05; done`]);
  await waitFor(async () => (await runningCount('wlate')) === 1, 10_000, 'the first run');
  let waiter = 0;
  const second = cronguard(['--db', db, '--name', 'wlate', '--overlap', 'wait', '--timeout', '10s', '--', 'true'], { onSpawn: (pid) => { waiter = pid; } });
  // Timed from when the waiter has the database open (it is then waiting, not still starting up): the holder
  // ends 7 s into the waiter's 10 s bound, far past any one look, with 3 s left for a loaded machine.
  await waitFor(() => holdsOpen(waiter, db), 15_000, 'the waiter at the database');
  await sleep(7000);
  writeFileSync(stop, '');
  await first;
  assert.equal((await second).code, 0);
  assert.deepEqual(await statuses('wlate'), ['success', 'success']);
});

test('--once with --overlap: skip while an earlier run lives leaves the start unclaimed; wait claims it once that run ends', async () => {
  const once = ['--db', db, '--name', 'oo', '--once', '--schedule', '0 0 1 1 *', '--tz', 'UTC'];
  const held = gate(dir);
  const first = cronguard(['--db', db, '--name', 'oo', '--', ...held.argv]);
  await waitFor(async () => (await runningCount('oo')) === 1, 10_000, 'the first run');
  const skipped = await cronguard([...once, '--overlap', 'skip', '--', 'sh', '-c', 'echo ran; exit 9']);
  assert.deepEqual([skipped.code, skipped.out, skipped.stderr], [0, '', '']);
  let waiter = 0;
  const waiting = cronguard([...once, '--overlap', 'wait', '--', 'true'], { onSpawn: (pid) => { waiter = pid; } });
  await waitFor(() => holdsOpen(waiter, db), 15_000, 'the waiting run at the database');
  held.open();
  assert.deepEqual([(await waiting).code, (await first).code], [0, 0]);
  // The skip claimed nothing (the waiter could claim the start); the start is now taken: a third run leaves it.
  const third = await cronguard([...once, '--overlap', 'skip', '--', 'sh', '-c', 'exit 9']);
  assert.deepEqual([third.code, third.out], [0, '']);
  const runs = await recordedRuns(db, { job: 'oo' });
  assert.deepEqual(runs.map((r) => r.status).reverse(), ['success', 'skipped', 'success', 'skipped']);
  assert.match(runs[2]?.reason ?? '', /^run \S+ of oo \(host .+\) is still running$/);
  assert.match(runs[0]?.reason ?? '', /^its start at 20\d\d-01-01T00:00:00.000Z was claimed by host /);
});
