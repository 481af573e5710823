import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, tempDir } from '../helpers/cli.ts';
import { recordedRuns } from '../helpers/store.ts';

// A --fail-on-output regex that backtracks for minutes is matched off the main thread: it can never hold
// up the timeout, the kill or the heartbeat (before, `^(a+)+$` on a 30-character line made --timeout 2s a 31 s run).
const dir = tempDir();
const REDOS = '^(a+)+$';
const LINE = `${'a'.repeat(34)}!`;

test('the ReDoS pattern keeps --timeout 2s within 4 s', async () => {
  const db = join(dir, 'redos.db');
  const started = Date.now();
  const r = await cronguard(['--db', db, '--name', 'redos', '--timeout', '2s', '--kill-after', '1s', '--heartbeat', '1s',
    '--fail-on-output', REDOS, '--', 'sh', '-c', `echo ${LINE}; exec sleep 30`], { limitMs: 60_000 });
  const wall = Date.now() - started;
  assert.equal(r.code, 124, r.stderr);
  const [run] = await recordedRuns(db);
  assert.equal(run?.status, 'timeout');
  assert.ok((run?.durationMs ?? Infinity) < 4000, `the run took ${run?.durationMs} ms`);
  // Node's own start-up on a loaded machine comes on top of the run itself.
  assert.ok(wall < 12_000, `cronguard took ${wall} ms`);
});

test('a command that succeeds under a backtracking pattern succeeds, its record and a warning saying the output was not fully checked', async () => {
  const db = join(dir, 'redos-ok.db');
  const r = await cronguard(['--db', db, '--name', 'redos-ok', '--fail-on-output', REDOS, '--', 'sh', '-c', `echo ${LINE}`], { limitMs: 60_000 });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /^cronguard: --fail-on-output could not check all of the output \(matching .*\): the run counts as a success\n$/);
  const [run] = await recordedRuns(db);
  assert.equal(run?.status, 'success');
  assert.match(run?.reason ?? '', /--fail-on-output not fully checked: matching (took over 5s after the output ended|fell 5s behind the output)/);
  assert.ok((run?.attempts[0]?.durationMs ?? Infinity) < 4000, 'the wait for the matcher is not the attempt\'s duration');
});
