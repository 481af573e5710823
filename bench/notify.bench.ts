// Notifications on the run path: what --ping and --notify-url add to a run, in time and peak memory,
// against a plain run in the same process. The receiver is a local HTTP server on 127.0.0.1, in its own
// process (the measurements spawn synchronously, so a server in this one could not answer).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadText, median, type Paired, pairedRatios, pairedText, report, wallMs } from './measure.ts';

const root = process.cwd();
const bin = join(root, 'bin', 'cronguard');
const dir = mkdtempSync(join(tmpdir(), 'cronguard-bench-notify-'));
const env = { ...process.env, CRONGUARD_DB: join(dir, 'bench.db'), PATH: '/usr/bin:/bin' };
const node = process.execPath;
/** Pairs (a run with the channel, one without) whose ratios' median is the figure. */
const PAIRS = 30;

/** Starts the receiver: it answers 200 to everything; resolves with its base URL and a stop function. */
function startReceiver(): Promise<{ url: string; stop: () => void }> {
  const script = `require('node:http').createServer((q, s) => { q.resume(); q.on('end', () => s.end('OK')); })
    .listen(0, '127.0.0.1', function () { process.stdout.write(this.address().port + '\\n'); });`;
  const child = spawn(node, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', (d: Buffer) => resolve({ url: `http://127.0.0.1:${d.toString().trim()}`, stop: () => child.kill() }));
  });
}

// Peak memory is read by the measured process itself as it exits (VmHWM), so a short run's peak is not missed.
const hwmFile = join(dir, 'hwm.cjs');
writeFileSync(hwmFile, `process.on('exit', () => {
  const kb = /VmHWM:\\s+(\\d+)/.exec(require('node:fs').readFileSync('/proc/self/status', 'latin1'))?.[1];
  require('node:fs').appendFileSync(process.env.HWM_OUT, kb + '\\n');
});`);

/** Median peak RSS (MiB) of `rounds` runs of cronguard with these arguments. */
function peakMiB(args: readonly string[], rounds: number): number {
  const out = join(dir, `hwm-${Math.random()}`);
  for (let i = 0; i < rounds; i++) spawnSync(node, ['-r', hwmFile, bin, ...args], { env: { ...env, HWM_OUT: out }, stdio: 'ignore' });
  return median(readFileSync(out, 'utf8').trim().split('\n').map((kb) => Number(kb) / 1024));
}

const receiver = await startReceiver();
try {
  const ping = ['--ping', `${receiver.url}/ping`, '--', 'true'];
  const plain = ['--', 'true'];
  console.log(`load average ${loadText()}`);
  const time = (argv: readonly string[]) => wallMs(argv, env);
  const [withPing] = await pairedRatios([node, bin, ...plain], [[node, bin, ...ping]], PAIRS, time);
  report('--ping run / plain run, wall', pairedText(withPing as Paired, PAIRS), '<= 1.15');
  const [pingPeak, plainPeak] = [peakMiB(ping, 9), peakMiB(plain, 9)];
  report('--ping run - plain run, peak RSS (median of 9)', `${(pingPeak - plainPeak).toFixed(1)} MiB (${pingPeak.toFixed(1)} / ${plainPeak.toFixed(1)})`, '<= 5 MiB');

  const notify = ['--notify-url', `${receiver.url}/hook`, '--', 'false'];
  const failing = ['--', 'false'];
  const [withUrl] = await pairedRatios([node, bin, ...failing], [[node, bin, ...notify]], PAIRS, time);
  report('--notify-url failing run / failing run, wall', pairedText(withUrl as Paired, PAIRS), '<= 1.15');
  const [urlPeak, barePeak] = [peakMiB(notify, 9), peakMiB(failing, 9)];
  report('--notify-url failing run - failing run, peak RSS', `${(urlPeak - barePeak).toFixed(1)} MiB (${urlPeak.toFixed(1)} / ${barePeak.toFixed(1)})`, '<= 5 MiB');
  console.log(`load average ${loadText()}`);
} finally {
  receiver.stop();
  rmSync(dir, { recursive: true, force: true });
}
