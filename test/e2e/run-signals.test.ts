import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, cronguardJson, fixture, tempDir, waitFor } from '../helpers/cli.ts';
import { killAll, markedJob, processesMarked } from '../helpers/procs.ts';
import { recordedRuns } from '../helpers/store.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');

/** Starts a guarded fork-grandchildren job and resolves once it runs; returns its result promise and wrapper pid. */
async function startTree(name: string, env: NodeJS.ProcessEnv, mark: string) {
  let pid = 0;
  const result = cronguard(['--db', db, '--name', name, '--kill-after', '1s', '--', fixture('fork-grandchildren.sh')], { env, onSpawn: (p) => { pid = p; } });
  await waitFor(() => processesMarked(mark).length >= 5, 15_000, 'the job tree to start');
  return { result, pid };
}

for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130], ['SIGHUP', 129]] as const) {
  test(`${signal} to cronguard is forwarded to the whole group: exit ${code}, run killed, nothing survives`, async () => {
    const { mark, env } = markedJob();
    const name = `sig-${signal}`;
    const { result, pid } = await startTree(name, env, mark);
    process.kill(pid, signal);
    const r = await result;
    assert.equal(r.code, code);
    // Gone, not only signalled: a killed process may take a moment to be reaped.
    await waitFor(() => processesMarked(mark).length === 0, 5000, 'no process of the job survives');
    const [run] = await cronguardJson<Array<{ status: string; signal: string; attempts: Array<{ status: string }> }>>(['history', name, '--json'], db);
    assert.equal(run?.status, 'killed');
    assert.equal(run?.attempts[0]?.status, 'killed');
    assert.match(r.out, new RegExp(`killed`));
  });
}

test('an interrupt during the backoff between attempts ends the run as killed', async () => {
  let pid = 0;
  const result = cronguard(['--db', db, '--name', 'backoff', '--retries', '3', '--retry-delay', '20s', '--', 'false'], { onSpawn: (p) => { pid = p; } });
  await waitFor(async () => (await recordedRuns(db, { job: 'backoff' }))[0]?.attempts.length === 1, 15_000, 'the first attempt');
  process.kill(pid, 'SIGTERM');
  const r = await result;
  assert.equal(r.code, 143);
  const [run] = await cronguardJson<Array<{ status: string; attempts: unknown[] }>>(['history', 'backoff', '--json'], db);
  assert.equal(run?.status, 'killed');
  assert.equal(run?.attempts.length, 1);
});

test('a wrapper killed with SIGKILL leaves its run running, with its pid, start time and group, for sweep', async () => {
  const { mark, env } = markedJob();
  const { result, pid } = await startTree('sigkill', env, mark);
  // The group is on record before any later write of the run; wait for it (the wrapper writes it just after the spawn).
  await waitFor(async () => (await recordedRuns(db, { job: 'sigkill' }))[0]?.pgid != null, 15_000, 'the group on record');
  process.kill(pid, 'SIGKILL');
  const r = await result;
  assert.equal(r.signal, 'SIGKILL');
  assert.ok(processesMarked(mark).length > 0, 'the command group outlives its wrapper (SPEC §2)');
  const [row] = await recordedRuns(db, { job: 'sigkill' });
  assert.equal(row?.status, 'running');
  assert.equal(row?.pid, pid);
  assert.match(row?.pidStart ?? '', /^\d+$/);
  assert.ok((row?.pgid ?? 0) > 0);
  killAll(processesMarked(mark));
});
