// The run path: start-up cost per cron tick, memory under a flood of output, and bursts of 200 jobs at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { concurrentMs, loadText, type Paired, pairedRatios, pairedText, report, wallMs } from './measure.ts';

const root = process.cwd();
const bin = join(root, 'bin', 'cronguard');
const dir = mkdtempSync(join(tmpdir(), 'cronguard-bench-'));
const db = join(dir, 'bench.db');
const env = { ...process.env, CRONGUARD_DB: db, PATH: '/usr/bin:/bin' };
const node = process.execPath;

/** Peak RSS (VmHWM, kB) of cronguard while its job prints `bytes`. */
function peakRssKb(bytes: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [bin, '--', 'sh', '-c', `head -c ${bytes} /dev/zero; exit 1`], { env, stdio: 'ignore' });
    let peak = 0;
    const timer = setInterval(() => {
      const m = /VmHWM:\s+(\d+)/.exec(readStatus(child.pid ?? 0));
      if (m) peak = Math.max(peak, Number(m[1]));
    }, 10);
    child.on('error', reject);
    child.on('exit', () => { clearInterval(timer); resolve(peak); });
  });
}

/** /proc/PID/status, or '' once the process is gone. */
function readStatus(pid: number): string {
  try { return readFileSync(`/proc/${pid}/status`, 'latin1'); } catch { return ''; }
}

console.log(`load average ${loadText()}`);
const STARTS = 30;
const [start] = await pairedRatios([node, '-e', '0'], [[node, bin, '--', 'true']], STARTS, (argv) => wallMs(argv, env));
report('cronguard -- true / node -e 0', pairedText(start as Paired, STARTS), '<= 1.5');

const peak = await peakRssKb(1024 ** 3);
report('peak RSS while the job prints 1 GiB', `${(peak / 1024).toFixed(1)} MiB`, '<= 100 MiB');

rmSync(db, { force: true });
// Bursts, each into a database of its own: the figure is the median of several burst pairs, not one sample.
const BURSTS = 3;
let recorded = 0;
let burstNo = 0;
const [burst] = await pairedRatios([node, '-e', '0'], [[node, bin, '--', 'true']], BURSTS, async (argv) => {
  if (argv[1] !== bin) return concurrentMs(argv, 200, env);
  const burstDb = join(dir, `burst-${burstNo++}.db`);
  const ms = await concurrentMs(argv, 200, { ...env, CRONGUARD_DB: burstDb });
  const reader = new Database(burstDb, { readonly: true });
  recorded += (reader.prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
  reader.close();
  return ms;
});
report('200 concurrent cronguard -- true / node -e 0', pairedText(burst as Paired, BURSTS), '<= 1.6');
report(`runs recorded of ${BURSTS} x 200 concurrent`, `${recorded}/${BURSTS * 200}`, `${BURSTS * 200}/${BURSTS * 200}`);
console.log(`load average ${loadText()}`);
rmSync(dir, { recursive: true, force: true });
