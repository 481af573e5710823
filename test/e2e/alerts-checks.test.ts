import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, fixture, tempDir } from '../helpers/cli.ts';
import { recordedRuns } from '../helpers/store.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
const run = (args: string[]) => cronguard(['--db', db, ...args], { limitMs: 60_000 });
const lastRun = async (job: string) => (await recordedRuns(db, { job, limit: 1 }))[0];

test('--min-duration: finishing faster fails the run (status failed, reason recorded, exit 1)', async () => {
  const r = await run(['--name', 'fast', '--min-duration', '5s', '--', 'true']);
  assert.equal(r.code, 1);
  assert.match(r.out, /job fast failed \(exit 0\): finished in \d+ms, under --min-duration 5\.0s/);
  const row = await lastRun('fast');
  assert.equal(row?.status, 'failed');
  assert.equal(row?.exitCode, 0, "the command's own exit code is kept");
  assert.match(row?.reason ?? '', /under --min-duration/);
  const slow = await run(['--name', 'slow', '--min-duration', '200ms', '--', 'sleep', '0.5']);
  assert.equal(slow.code, 0);
  assert.equal((await lastRun('slow'))?.status, 'success');
});

test('--min-duration does not hide the command\'s own failure', async () => {
  const r = await run(['--name', 'fastfail', '--min-duration', '5s', '--', fixture('exit-n.sh'), '4']);
  assert.equal(r.code, 4);
  assert.equal((await lastRun('fastfail'))?.reason, null);
});

test('--fail-on-output: a matching line fails the run, with the line in the reason', async () => {
  const r = await run(['--name', 'grep', '--fail-on-output', 'ERROR|FATAL', '--', 'sh', '-c', 'echo fine; echo "FATAL: disk gone"; echo done']);
  assert.equal(r.code, 1);
  assert.match(r.out, /output matched --fail-on-output: "FATAL: disk gone"/);
  assert.equal((await lastRun('grep'))?.status, 'failed');
  const clean = await run(['--name', 'clean', '--fail-on-output', 'ERROR', '--', 'sh', '-c', 'echo error in lower case']);
  assert.equal(clean.code, 0);
});

test('--fail-on-output sees the whole stream, also the part --output-limit does not keep', async () => {
  const r = await run(['--name', 'cut', '--output-limit', '1KiB', '--fail-on-output', '^NEEDLE$', '--', 'sh', '-c', 'seq 1 5000; echo NEEDLE; seq 1 5000']);
  assert.equal(r.code, 1);
  assert.match((await lastRun('cut'))?.reason ?? '', /NEEDLE/);
});

test('a failed check is retried like any failure', async () => {
  const counter = join(dir, 'counter');
  const r = await run(['--name', 'retry', '--retries', '2', '--retry-delay', '10ms', '--fail-on-output', 'attempt [12]$', '--', fixture('flaky.sh'), counter, '1']);
  assert.equal(r.code, 0);
  assert.deepEqual((await lastRun('retry'))?.attempts.map((a) => a.status), ['failed', 'failed', 'success']);
});

test('an invalid --fail-on-output regex or --min-duration is refused with exit 125, nothing runs', async () => {
  const marker = join(dir, 'ran');
  for (const bad of [['--fail-on-output', '(unclosed'], ['--min-duration', 'soon']]) {
    const r = await run(['--name', 'bad', ...bad, '--', 'touch', marker]);
    assert.equal(r.code, 125);
    assert.match(r.stderr, new RegExp(`^cronguard: ${bad[0]} `));
  }
  assert.equal((await recordedRuns(db, { job: 'bad' })).length, 0);
});
