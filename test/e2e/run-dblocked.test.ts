import assert from 'node:assert/strict';
import { existsSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, fixture, tempDir, waitFor } from '../helpers/cli.ts';
import { holdExclusiveLock } from '../helpers/db.ts';
import { isAlive, markedJob, processesMarked } from '../helpers/procs.ts';
import { recordedRuns } from '../helpers/store.ts';

// Another process holds the database under BEGIN EXCLUSIVE: SQLite would make a writer wait for it
// synchronously, holding cronguard's event loop. Before the fix each case below took 8 s or more.
const dir = tempDir();

/** A database that exists (WAL, migrated), locked by another process until `release` is called. */
async function lockedDb(name: string): Promise<{ db: string; release: () => Promise<void> }> {
  const db = join(dir, `${name}.db`);
  assert.equal((await cronguard(['--db', db, '--name', 'first', '--', 'true'])).code, 0);
  return { db, release: await holdExclusiveLock(db) };
}

test('with the database locked a plain run starts its command within a second and its record catches up', async () => {
  const { db, release } = await lockedDb('start');
  const started = join(dir, 'start-started');
  const go = join(dir, 'start-go');
  const spawnedAt = Date.now();
  const run = cronguard(['--db', db, '--name', 'late', '--', 'sh', '-c', `echo > ${started}; while [ ! -e ${go} ]; do sleep 0.05; done`], { limitMs: 60_000 });
  try {
    await waitFor(() => existsSync(started), 30_000, 'the command to start');
    const delay = Date.now() - spawnedAt;
    assert.ok(delay < 4000, `the command started ${delay} ms after cronguard (the busy timeout is 8 s)`);
  } finally {
    await release();
    writeFileSync(go, '');
  }
  const r = await run;
  assert.equal(r.code, 0);
  assert.equal(r.stderr, '', 'the lock was released within the patience: nothing spooled, nothing to warn about');
  const [rec] = await recordedRuns(db, { job: 'late' });
  assert.equal(rec?.status, 'success');
});

test('a database locked past the patience: each run says so in one line, none about the spool it could not take in; every record arrives later', async () => {
  const { db, release } = await lockedDb('spooled');
  const said: string[] = [];
  try {
    for (const job of ['s1', 's2']) {
      const r = await cronguard(['--db', db, '--name', job, '--', 'true'], { limitMs: 120_000 });
      assert.equal(r.code, 0);
      said.push(r.stderr);
      assert.ok(existsSync(`${db}.spool`), `${job}'s record is spooled`);
    }
  } finally {
    await release();
  }
  // The second run found the first one's record in the spool and the lock still held: that is no news.
  for (const stderr of said) assert.match(stderr, /^cronguard: cannot write to the database .*locked.*spooled beside the database\n$/, stderr);
  const r = await cronguard(['--db', db, '--name', 's3', '--', 'true']);
  assert.deepEqual([r.code, r.stderr], [0, '']);
  assert.deepEqual((await recordedRuns(db)).map((run) => run.job).sort(), ['first', 's1', 's2', 's3']);
});

test('a database locked mid-run holds neither the timeout nor the SIGKILL (heartbeats come due meanwhile)', async () => {
  const { mark, env } = markedJob();
  const db = join(dir, 'midrun.db');
  const termed = join(dir, 'midrun-termed');
  let wrapper = 0;
  const run = cronguard(['--db', db, '--name', 'slow', '--heartbeat', '1s', '--timeout', '2s', '--kill-after', '1s', '--', fixture('term-flag.sh'), termed],
    { env, limitMs: 60_000, onSpawn: (p) => { wrapper = p; } });
  let job: number[] = [];
  // The wrapper carries the test's mark too: it is not part of the job.
  await waitFor(() => (job = processesMarked(mark).filter((p) => p !== wrapper)).length > 0, 30_000, 'the command to start');
  const release = await holdExclusiveLock(db);
  const lockedAt = Date.now();
  try {
    await waitFor(() => job.every((p) => !isAlive(p)), 30_000, 'the command to be killed');
    const took = Date.now() - lockedAt;
    assert.ok(existsSync(termed), 'SIGTERM came first');
    assert.ok(took < 5000, `killed ${took} ms after the lock was taken, for --timeout 2s --kill-after 1s`);
  } finally {
    await release();
  }
  const r = await run;
  assert.equal(r.code, 124);
  const [rec] = await recordedRuns(db, { job: 'slow' });
  assert.equal(rec?.status, 'timeout');
  assert.ok((rec?.attempts[0]?.durationMs ?? Infinity) < 6000, `attempt recorded as lasting ${rec?.attempts[0]?.durationMs} ms`);
});

test('with the database locked, --overlap waits for the lease but a SIGTERM ends it at once: 143, command not started', async () => {
  const { db, release } = await lockedDb('overlap');
  const ran = join(dir, 'overlap-ran');
  let pid = 0;
  const run = cronguard(['--db', db, '--name', 'ov', '--overlap', 'skip', '--', 'sh', '-c', `echo > ${ran}`], { limitMs: 60_000, onSpawn: (p) => { pid = p; } });
  try {
    // Once cronguard has the database open, it is waiting for the lock.
    await waitFor(() => readyToSignal(pid), 30_000, 'cronguard to wait for the lock');
    const signalledAt = Date.now();
    process.kill(pid, 'SIGTERM');
    const r = await run;
    const took = Date.now() - signalledAt;
    assert.equal(r.code, 143);
    assert.ok(took < 3000, `exited ${took} ms after SIGTERM`);
    assert.equal(existsSync(ran), false, 'the command never started');
  } finally {
    await release();
  }
});

/** Whether cronguard has the database open (it then waits for the lock): /proc/PID/fd shows the file. */
function readyToSignal(pid: number): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`).endsWith('overlap.db');
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
