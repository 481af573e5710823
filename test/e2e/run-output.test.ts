import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, cronguardJson, fixture, tempDir, waitFor } from '../helpers/cli.ts';
import { gate } from '../helpers/gate.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');

/** Peak resident memory (VmHWM, kB) of a process, polled until it exits. */
function watchPeakRss(pid: number): () => number {
  let peak = 0;
  const timer = setInterval(() => {
    try {
      const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'latin1'));
      if (m) peak = Math.max(peak, Number(m[1]));
    } catch {
      clearInterval(timer);
    }
  }, 25);
  return () => {
    clearInterval(timer);
    return peak;
  };
}

test('stdout and stderr are captured together in order', async () => {
  const r = await cronguard(['--db', db, '--', 'sh', '-c', 'echo one; echo two >&2; sleep 0.05; echo three; exit 1']);
  assert.equal(r.code, 1);
  assert.match(r.out, /one\ntwo\nthree\n/);
});

test('2,000 alternating stdout and stderr lines come back in exactly the order written, as with 2>&1', async () => {
  const script = 'i=0; while [ $i -lt 2000 ]; do echo "O$i"; echo "E$i" >&2; i=$((i+1)); done; exit 1';
  const r = await cronguard(['--db', db, '--name', 'order', '--', 'sh', '-c', script], { limitMs: 60_000 });
  assert.equal(r.code, 1);
  const expected = Array.from({ length: 2000 }, (_, i) => `O${i}\nE${i}\n`).join('');
  assert.ok(r.out.includes(expected), 'the report holds the lines in their exact order');
  const tee = await cronguard(['--db', db, '--name', 'order-tee', '--tee', '--', 'sh', '-c', script.replace('exit 1', 'exit 0')], { limitMs: 60_000 });
  assert.equal(tee.out, expected, '--tee streams the merged output in the same order');
});

test('--tee streams output live and still stays quiet otherwise', async () => {
  const r = await cronguard(['--db', db, '--tee', '--', 'sh', '-c', 'echo visible']);
  assert.equal(r.code, 0);
  assert.equal(r.out, 'visible\n');
});

test('200 MB of output: memory stays bounded, head and tail kept with a cut marker', async () => {
  let stop = () => 0;
  const total = 200 * 1024 * 1024;
  const r = await cronguard(['--db', db, '--name', 'big', '--output-limit', '64KiB', '--', process.execPath, fixture('print-bytes.mjs'), String(total), '1'],
    { limitMs: 120_000, onSpawn: (pid) => { stop = watchPeakRss(pid); } });
  const peakKb = stop();
  assert.equal(r.code, 1);
  assert.ok(peakKb > 0 && peakKb < 150 * 1024, `peak RSS ${peakKb} kB`);
  assert.match(r.out, /HEAD-MARK\n/);
  assert.match(r.out, /TAIL-MARK\n$/);
  assert.match(r.out, new RegExp(`\\[\\.\\.\\. ${total - 65536} bytes cut \\.\\.\\.\\]`));
  const [rec] = await cronguardJson<Array<{ attempts: Array<{ outputBytes: number }> }>>(['history', 'big', '--json'], db);
  assert.equal(rec?.attempts[0]?.outputBytes, total);
});

test('binary output with NUL and invalid UTF-8 survives byte for byte', async () => {
  const r = await cronguard(['--db', db, '--name', 'bin', '--', fixture('binary.sh')]);
  assert.equal(r.code, 2);
  const bytes = Buffer.from('A\x00B\xff\xfeC\x1b[2J\n', 'latin1');
  assert.ok(r.stdout.includes(bytes), 'the report prints the bytes as they came');
  const [rec] = await cronguardJson<Array<{ id: string }>>(['history', 'bin', '--json'], db);
  const shown = await cronguardJson<{ attempts: Array<{ output: string; outputBytes: number }> }>(['show', rec?.id ?? '', '--json'], db);
  assert.equal(shown.attempts[0]?.outputBytes, bytes.length);
  assert.equal(shown.attempts[0]?.output, bytes.toString('utf8'));
});

test('the run is recorded as running before the command starts, with heartbeats', async () => {
  const held = gate(dir);
  const slow = cronguard(['--db', db, '--name', 'beat', '--heartbeat', '1s', '--', ...held.argv]);
  type Listed = Array<{ status: string; startedAt: string; heartbeatAt: string }>;
  let during: Listed[number] | undefined;
  await waitFor(async () => (during = (await cronguardJson<Listed>(['history', 'beat', '--json'], db))[0]) !== undefined, 15_000, 'the run recorded');
  assert.equal(during?.status, 'running');
  await waitFor(async () => {
    const [later] = await cronguardJson<Listed>(['history', 'beat', '--json'], db);
    return later?.status === 'running' && Date.parse(later.heartbeatAt) > Date.parse(later.startedAt);
  }, 15_000, 'the heartbeat to move on while the command runs');
  held.open();
  assert.equal((await slow).code, 0);
});
