// The run path under hostile jobs and a locked database (issue 11): processes that escape a timeout,
// how late the kill comes past the timeout and how late the command starts while another process holds
// the database under BEGIN EXCLUSIVE.
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median, report } from './measure.ts';

const root = process.cwd();
const bin = join(root, 'bin', 'cronguard');
const dir = mkdtempSync(join(tmpdir(), 'cronguard-bench-kill-'));
const db = join(dir, 'bench.db');
const node = process.execPath;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Live (not zombie) processes whose environment holds the entry `mark`. */
function marked(mark: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'latin1');
      if (stat.slice(stat.lastIndexOf(')') + 2)[0] === 'Z') continue;
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').split('\0').includes(mark)) found.push(Number(entry));
    } catch {
      // gone, or not ours
    }
  }
  return found;
}

/** When a process started, in epoch ms (its start in clock ticks since boot, /proc/PID/stat field 22, at 100 Hz). */
function startMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  const uptimeMs = Number(readFileSync('/proc/uptime', 'latin1').split(' ')[0]) * 1000;
  return Date.now() - uptimeMs + ticks * 10;
}

/** Runs cronguard to its end; resolves with its pid. */
function cronguard(args: string[], env: NodeJS.ProcessEnv): { pid: number; done: Promise<number | null> } {
  const child = spawn(node, [bin, '--db', db, ...args], { env, stdio: 'ignore' });
  return { pid: child.pid ?? 0, done: new Promise((resolve) => child.on('close', (code) => resolve(code))) };
}

/** Holds the database under BEGIN EXCLUSIVE in another process; resolves once it does, with its release. */
function lock(): Promise<() => void> {
  const script = `const db = new (require('better-sqlite3'))(${JSON.stringify(db)}); db.exec('BEGIN EXCLUSIVE');
    process.stdout.write('locked\\n'); process.stdin.on('data', () => process.exit(0));`;
  const child = spawn(node, ['-e', script], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve) => child.stdout.once('data', () => resolve(() => child.stdin.write('x\n'))));
}

// 1. 100 runs of a job forking six processes that leave its group in six ways, --timeout 1s, 10 at a time.
let survivors = 0;
let escaped = 0;
for (let batch = 0; batch < 10; batch++) {
  await Promise.all(Array.from({ length: 10 }, async (_, i) => {
    const value = randomUUID();
    const started = join(dir, `escape-${batch}-${i}`);
    mkdirSync(started);
    const env = { ...process.env, PATH: '/usr/bin:/bin', BENCH_MARK: value };
    await cronguard(['--name', 'escape', '--timeout', '1s', '--kill-after', '1s', '--', join(root, 'test', 'fixtures', 'escape.sh'), started], env).done;
    escaped += readdirSync(started).length;
    const left = marked(`BENCH_MARK=${value}`);
    survivors += left.length;
    for (const pid of left) process.kill(pid, 'SIGKILL');
  }));
}
report('survivors of 100 runs x 6 escapes, --timeout 1s', `${survivors} (of ${escaped} started)`, '0');

// A database that exists, for the locked cases.
await cronguard(['--', 'true'], { ...process.env, PATH: '/usr/bin:/bin' }).done;

// 2. Kill latency past the timeout while the database is locked for 30 s.
const latencies: number[] = [];
for (let i = 0; i < 3; i++) {
  const release = await lock();
  const lockedUntil = Date.now() + 30_000;
  const value = randomUUID();
  const env = { ...process.env, PATH: '/usr/bin:/bin', BENCH_MARK: value };
  const run = cronguard(['--name', 'locked-timeout', '--timeout', '1s', '--kill-after', '1s', '--', 'sleep', '1000'], env);
  let job: number[] = [];
  while ((job = marked(`BENCH_MARK=${value}`).filter((p) => p !== run.pid)).length === 0) await sleep(5);
  const startedAt = startMs(job[0] ?? 0);
  while (job.some((p) => existsSync(`/proc/${p}`) && !readFileSync(`/proc/${p}/stat`, 'latin1').includes(') Z'))) await sleep(5);
  latencies.push(Date.now() - startedAt - 1000);
  await sleep(Math.max(0, lockedUntil - Date.now()));
  release();
  await run.done;
}
report('kill latency past --timeout, database locked 30 s', `${median(latencies).toFixed(0)} ms (median of 3, from the command's start)`, '<= 1000 ms');

// 3. Command start delay while the database is locked, against the same start unlocked.
async function startDelay(locked: boolean): Promise<number> {
  const release = locked ? await lock() : () => {};
  const flag = join(dir, `started-${randomUUID()}`);
  const spawnedAt = Date.now();
  const run = cronguard(['--name', 'start', '--', 'sh', '-c', `echo > ${flag}`], { ...process.env, PATH: '/usr/bin:/bin' });
  while (!existsSync(flag)) await sleep(2);
  const delay = Date.now() - spawnedAt;
  release();
  await run.done;
  return delay;
}
const lockedStarts: number[] = [];
const freeStarts: number[] = [];
for (let i = 0; i < 5; i++) {
  freeStarts.push(await startDelay(false));
  lockedStarts.push(await startDelay(true));
}
report('command start, database locked / unlocked', `${median(lockedStarts).toFixed(0)} / ${median(freeStarts).toFixed(0)} ms (median of 5)`, 'locked <= 1000 ms');
rmSync(dir, { recursive: true, force: true });
