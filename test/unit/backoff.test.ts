import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffDelayMs, nominalDelayMs } from '../../src/runner/backoff.ts';
import { RUN } from '../../src/shared/options.ts';
import { derivedName } from '../../src/shared/job-name.ts';
import { shouldRetry } from '../../src/runner/run.ts';
import { classify } from '../../src/runner/classify.ts';

test('nominal delay doubles from the first and stops at the cap', () => {
  assert.deepEqual([1, 2, 3, 4, 5].map((k) => nominalDelayMs(k, 5000, 30_000)), [5000, 10_000, 20_000, 30_000, 30_000]);
});

test('the real wait is in [nominal/2, nominal]', () => {
  assert.equal(backoffDelayMs(2, 1000, 60_000, () => 0), 1000);
  assert.equal(backoffDelayMs(2, 1000, 60_000, () => 0.999999), 2000);
  for (let i = 0; i < 1000; i++) {
    const d = backoffDelayMs(3, 1000, 60_000);
    assert.ok(d >= 2000 && d <= 4000, String(d));
  }
});

test('--retry-on parses codes and timeout, refuses anything else', () => {
  const parseRetryOn = (text: string) => RUN.retryOn.parse(text, '--retry-on');
  const r = parseRetryOn('75, timeout,1');
  assert.deepEqual([...(r?.codes ?? [])].sort(), [1, 75]);
  assert.equal(r?.timeout, true);
  assert.throws(() => parseRetryOn('1,two'), /--retry-on "1,two".*"two"/);
  assert.throws(() => parseRetryOn('0'), /--retry-on/);
  assert.throws(() => parseRetryOn('256'), /--retry-on/);
  assert.throws(() => parseRetryOn('1,timout'), /"timout" is neither.*did you mean timeout\?/);
});

test('which failures are retried', () => {
  const only75 = { codes: new Set([75]), timeout: false };
  assert.equal(shouldRetry({ status: 'failed', code: 1 }, null), true);
  assert.equal(shouldRetry({ status: 'timeout', code: 124 }, null), true);
  assert.equal(shouldRetry({ status: 'success', code: 0 }, null), false);
  assert.equal(shouldRetry({ status: 'error', code: 127 }, null), false);
  assert.equal(shouldRetry({ status: 'failed', code: 1 }, only75), false);
  assert.equal(shouldRetry({ status: 'failed', code: 75 }, only75), true);
  assert.equal(shouldRetry({ status: 'timeout', code: 124 }, only75), false);
});

test('exit codes as coreutils timeout gives them', () => {
  const ok = { exitCode: 0, signal: null, spawnError: null };
  assert.equal(classify(ok, false, null, 'x').code, 0);
  assert.equal(classify({ ...ok, exitCode: 3 }, false, null, 'x').code, 3);
  assert.equal(classify({ ...ok, exitCode: null, signal: 'SIGTERM' }, true, null, 'x').code, 124);
  assert.equal(classify({ exitCode: null, signal: null, spawnError: 'ENOENT' }, false, null, 'x').code, 127);
  assert.equal(classify({ exitCode: null, signal: null, spawnError: 'EACCES' }, false, null, 'x').code, 126);
  assert.equal(classify({ ...ok, exitCode: null, signal: 'SIGKILL' }, false, null, 'x').code, 137);
  assert.equal(classify({ ...ok, exitCode: null, signal: 'SIGINT' }, false, 'SIGINT', 'x').code, 130);
  assert.equal(classify({ ...ok, exitCode: null, signal: 'SIGINT' }, false, 'SIGINT', 'x').status, 'killed');
});

test('derived names are stable, safe and distinct per argv', () => {
  assert.match(derivedName(['/usr/local/bin/backup.sh']), /^backup\.sh-[0-9a-f]{8}$/);
  assert.equal(derivedName(['a', 'b']), derivedName(['a', 'b']));
  assert.notEqual(derivedName(['a', 'b']), derivedName(['a b']));
  assert.match(derivedName(['/opt/my tool!']), /^my_tool_-[0-9a-f]{8}$/);
  assert.match(derivedName(['/opt/backup\u{1F4BE}.sh']), /^backup_\.sh-[0-9a-f]{8}$/, 'a character outside the BMP is one _');
  assert.ok(derivedName(['x'.repeat(300)]).length <= 109);
});
