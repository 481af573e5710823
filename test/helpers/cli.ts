import { spawn, type SpawnOptions } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after } from 'node:test';

/** The repository root, found upward from the built test file. */
export const ROOT = (() => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
})();
export const BIN = join(ROOT, 'bin', 'cronguard');
export const FIXTURES = join(ROOT, 'test', 'fixtures');

/** A fixture script's path. */
export const fixture = (name: string): string => join(FIXTURES, name);

/** A fresh directory removed when the test file ends. */
export function tempDir(prefix = 'cronguard-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: Buffer;
  stderr: string;
  /** stdout as text. */
  out: string;
  pid: number;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  /** Milliseconds before the test gives up on cronguard (it is killed and the test fails). */
  limitMs?: number;
  /** Called once cronguard started, e.g. to signal it. */
  onSpawn?: (pid: number) => void;
  cwd?: string;
}

/** Cron's own environment, plus what the test adds: PATH=/usr/bin:/bin, no TTY. */
export function cronEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { PATH: '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/root', SHELL: '/bin/sh', LANG: 'C.UTF-8', ...extra };
}

/** Runs the built bin/cronguard with a real process and collects everything it wrote. */
export function cronguard(args: readonly string[], options: CliOptions = {}): Promise<CliResult> {
  const spawnOptions: SpawnOptions = { env: options.env ?? cronEnv(), stdio: ['ignore', 'pipe', 'pipe'], cwd: options.cwd ?? ROOT };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], spawnOptions);
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (d: Buffer) => out.push(d));
    child.stderr?.on('data', (d: Buffer) => err.push(d));
    const limit = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`cronguard ${args.join(' ')} still running after ${options.limitMs ?? 30_000} ms`));
    }, options.limitMs ?? 30_000);
    child.on('error', reject);
    if (child.pid) options.onSpawn?.(child.pid);
    child.on('close', (code, signal) => {
      clearTimeout(limit);
      const stdout = Buffer.concat(out);
      resolve({ code, signal, stdout, out: stdout.toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), pid: child.pid ?? 0 });
    });
  });
}

/** cronguard with --db pointing at `db`, parsing stdout as JSON. */
export async function cronguardJson<T = unknown>(args: readonly string[], db: string, options: CliOptions = {}): Promise<T> {
  const result = await cronguard([...args, '--db', db], options);
  if (result.code !== 0) throw new Error(`cronguard ${args.join(' ')} exited ${result.code}: ${result.stderr}`);
  return JSON.parse(result.out) as T;
}

/** Resolves after `ms`. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Polls `check` until it returns true or `ms` pass. */
export async function waitFor(check: () => boolean | Promise<boolean>, ms = 10_000, what = 'condition', everyMs = 20): Promise<void> {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}
