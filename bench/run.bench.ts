// The run path: start-up cost per cron tick, memory under a flood of output, and a burst of 200 jobs at once.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { compareMedians, concurrentMs, report } from './measure.ts';

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

const [cg = 0, baseline = 0] = compareMedians([[node, bin, '--', 'true'], [node, '-e', '0']], 30, env);
report('cronguard -- true / node -e 0 (median of 30)', `${(cg / baseline).toFixed(2)} (${cg.toFixed(1)} / ${baseline.toFixed(1)} ms)`, '<= 1.5');

const peak = await peakRssKb(1024 ** 3);
report('peak RSS while the job prints 1 GiB', `${(peak / 1024).toFixed(1)} MiB`, '<= 100 MiB');

rmSync(db, { force: true });
const burstDb = join(dir, 'burst.db');
const burstEnv = { ...env, CRONGUARD_DB: burstDb };
const burst = await concurrentMs([node, bin, '--', 'true'], 200, burstEnv);
const nodeBurst = await concurrentMs([node, '-e', '0'], 200, burstEnv);
const recorded = (new Database(burstDb, { readonly: true }).prepare('SELECT count(*) AS n FROM runs').get() as { n: number }).n;
report('200 concurrent cronguard -- true / node -e 0', `${(burst / nodeBurst).toFixed(2)} (${burst.toFixed(0)} / ${nodeBurst.toFixed(0)} ms)`, '<= 1.6');
report('runs recorded of 200 concurrent', `${recorded}/200`, '200/200');
rmSync(dir, { recursive: true, force: true });
