import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, fixture, sleep, tempDir, waitFor } from '../helpers/cli.ts';
import { recordedRuns } from '../helpers/store.ts';
import { isAlive, markedJob, processesMarked } from '../helpers/procs.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');

/** A fresh directory for the escape fixture's "I am running" files. */
function markers(name: string): string {
  const path = join(dir, name);
  mkdirSync(path);
  return path;
}

test('timeout: every process carrying the run mark dies, whatever group or session it moved to', async () => {
  const { mark, env } = markedJob();
  const started = markers('timeout');
  const r = await cronguard(['--db', db, '--name', 'escape', '--timeout', '5s', '--kill-after', '1s', '--', fixture('escape.sh'), started],
    { env, limitMs: 60_000 });
  assert.equal(r.code, 124);
  assert.deepEqual(readdirSync(started).sort(), ['1', '2', '3', '4', '5', '6'], 'all six escapes had started before the timeout');
  assert.deepEqual(processesMarked(mark), [], 'no process of the job survives');
  const [run] = await recordedRuns(db, { job: 'escape' });
  assert.equal(run?.status, 'timeout');
  assert.doesNotMatch(run?.reason ?? '', /survived/);
});

test('SIGTERM to cronguard reaches the escaped processes too: exit 143, nothing survives', async () => {
  const { mark, env } = markedJob();
  const started = markers('term');
  let pid = 0;
  const result = cronguard(['--db', db, '--name', 'escape-term', '--kill-after', '1s', '--', fixture('escape.sh'), started],
    { env, limitMs: 60_000, onSpawn: (p) => { pid = p; } });
  await waitFor(() => readdirSync(started).length === 6, 30_000, 'the six escapes to start');
  process.kill(pid, 'SIGTERM');
  const r = await result;
  assert.equal(r.code, 143);
  assert.deepEqual(processesMarked(mark), [], 'no process of the job survives');
});

test('the command sees its run id as CRONGUARD_RUN_ID', async () => {
  const r = await cronguard(['--db', db, '--name', 'runid', '--', 'sh', '-c', 'echo "id=$CRONGUARD_RUN_ID"; exit 3']);
  assert.equal(r.code, 3);
  const id = /run +(\S+)/.exec(r.out)?.[1];
  assert.ok(id);
  assert.match(r.out, new RegExp(`id=${id}`));
});

test('a process left behind by a command that exited by itself is named in the record, not killed', async () => {
  const { mark, env } = markedJob();
  const flag = join(dir, 'leftover-started');
  const r = await cronguard(['--db', db, '--name', 'leaves', '--', 'sh', '-c', `setsid sh -c 'echo > ${flag}; exec sleep 100000' > /dev/null 2>&1 & while [ ! -e ${flag} ]; do sleep 0.05; done; exit 4`],
    { env, limitMs: 60_000 });
  assert.equal(r.code, 4);
  const left = processesMarked(mark);
  assert.equal(left.length, 1, 'the leftover still runs');
  const [run] = await recordedRuns(db, { job: 'leaves' });
  assert.equal(run?.status, 'failed');
  assert.match(r.out, new RegExp(`left running: pid ${left[0]} \\(sleep\\)`), 'the failure report names it');
  assert.match(run?.reason ?? '', new RegExp(`left running: pid ${left[0]} \\(sleep\\)`));
  const shown = await cronguard(['show', run?.id ?? '', '--db', db]);
  assert.match(shown.out, new RegExp(`left running: pid ${left[0]} \\(sleep\\)`));
});

test('a wrapper starved past the SIGKILL deadline still sends SIGKILL when it wakes', async () => {
  const { mark, env } = markedJob();
  const termed = join(dir, 'termed');
  let pid = 0;
  const result = cronguard(['--db', db, '--name', 'starved', '--timeout', '1s', '--kill-after', '1s', '--', fixture('term-flag.sh'), termed],
    { env, limitMs: 60_000, onSpawn: (p) => { pid = p; } });
  await waitFor(() => existsSync(termed), 30_000, 'the SIGTERM of the timeout');
  const job = processesMarked(mark);
  // The fault: the wrapper is stopped for longer than the kill-after plus the 5 s it gives a killed job to
  // vanish, as in a long stall under memory pressure; it wakes with every deadline passed.
  process.kill(pid, 'SIGSTOP');
  await sleep(7000);
  process.kill(pid, 'SIGCONT');
  const r = await result;
  assert.equal(r.code, 124);
  assert.ok(job.length > 0 && job.every((p) => !isAlive(p)), 'the TERM-ignoring command was SIGKILLed');
  const [run] = await recordedRuns(db, { job: 'starved' });
  assert.doesNotMatch(run?.reason ?? '', /survived/);
});
