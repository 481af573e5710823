import { spawnSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';

/** The median of some numbers. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Wall time of one run of a command, in ms. */
export function wallMs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(argv[0] as string, argv.slice(1), { env, stdio: 'ignore' });
  if (r.error) throw r.error;
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Medians of several commands measured in alternation (so drift in machine load hits all alike). */
export function compareMedians(commands: ReadonlyArray<readonly string[]>, rounds: number, env?: NodeJS.ProcessEnv): number[] {
  const times = commands.map(() => [] as number[]);
  for (let i = 0; i < rounds; i++) commands.forEach((c, j) => times[j]?.push(wallMs(c, env)));
  return times.map(median);
}

/** A figure against its baseline: the median of the ratios of pairs run one after the other, and the medians of each side. */
export interface Paired { ratio: number; ms: number; baselineMs: number }

/**
 * Commands each paired with the baseline, run in alternation `rounds` times: the figure is the median of
 * the per-pair ratios, so a change in machine load hits both sides of a pair alike and one slow pair
 * cannot move it. `time` measures one command (wall ms): a single run, or a burst.
 */
export async function pairedRatios(baseline: readonly string[], commands: ReadonlyArray<readonly string[]>, rounds: number,
  time: (argv: readonly string[]) => number | Promise<number> = wallMs): Promise<Paired[]> {
  const base: number[] = [];
  const times = commands.map(() => [] as number[]);
  for (let i = 0; i < rounds; i++) {
    base.push(await time(baseline));
    for (const [j, c] of commands.entries()) times[j]?.push(await time(c));
  }
  return times.map((t) => ({ ratio: median(t.map((ms, i) => ms / (base[i] as number))), ms: median(t), baselineMs: median(base) }));
}

/** A paired figure as text: "1.23 (456 / 789 ms, median of N pairs)". */
export function pairedText(p: Paired, rounds: number): string {
  return `${p.ratio.toFixed(2)} (${p.ms.toFixed(0)} / ${p.baselineMs.toFixed(0)} ms, median of ${rounds} pairs)`;
}

/** The machine's load average, for the record: figures from a loaded machine read differently. */
export function loadText(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}

/** Wall time of `count` copies of a command started at once, in ms. */
export function concurrentMs(argv: readonly string[], count: number, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const start = process.hrtime.bigint();
  return Promise.all(Array.from({ length: count }, () => new Promise<void>((resolve, reject) => {
    const child = spawn(argv[0] as string, argv.slice(1), { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', () => resolve());
  }))).then(() => Number(process.hrtime.bigint() - start) / 1e6);
}

/** Prints one figure as "name: value (goal)". */
export function report(name: string, value: string, goal: string): void {
  console.log(`${name.padEnd(48)} ${value.padEnd(24)} goal ${goal}`);
}

const GNU_TIME = '/usr/bin/time';

/** Peak resident memory of one run of a command, in KiB (GNU time's %M; else polled from /proc, which may miss a late peak). */
export function peakRssKb(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): number {
  if (existsSync(GNU_TIME)) {
    const r = spawnSync(GNU_TIME, ['-f', '%M', ...argv], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const lines = r.stderr.toString().trim().split('\n');
    return Number(lines[lines.length - 1]);
  }
  const child = spawnSync('sh', ['-c', `"$@" >/dev/null & pid=$!; peak=0; while kill -0 $pid 2>/dev/null; do
    v=$(sed -n 's/^VmHWM:[[:space:]]*\\([0-9]*\\).*/\\1/p' /proc/$pid/status 2>/dev/null); [ -n "$v" ] && peak=$v; done; echo $peak`, 'sh', ...argv], { env });
  return Number(child.stdout.toString().trim());
}

/** A peak in MiB against its goal. */
export function mib(kb: number): string {
  return `${(kb / 1024).toFixed(1)} MiB`;
}
