import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { waitFor } from './cli.ts';

const LOCK = '/tmp/cronguard-real-cron.lock';

/** Whether a process is alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the machine-wide lock of the real-cron test: there is one cron daemon, one /usr/sbin/sendmail and one
 * /etc/cron.d, so two copies of the test (two checkouts on one machine) must not run at once. A lock whose holder
 * died is taken over. Returns the release function, or null while a live process holds it.
 */
export function takeCronLock(): (() => void) | null {
  // The lock appears with its holder's pid already in it (a directory made aside, then renamed into place), and
  // goes by being renamed aside: it never stands empty, where another taker would take it for a dead holder's,
  // or could rename its own onto it.
  const mine = `${LOCK}.${process.pid}`;
  for (let i = 0; i < 2; i++) {
    try {
      mkdirSync(mine, { recursive: true });
      writeFileSync(join(mine, 'pid'), String(process.pid));
      renameSync(mine, LOCK);
      return removeLock;
    } catch {
      rmSync(mine, { recursive: true, force: true });
      const holder = Number(readFileSafe(join(LOCK, 'pid')));
      if (holder > 0 && alive(holder)) return null;
      removeLock();
    }
  }
  return null;
}

/** Removes the lock (renamed aside first, see takeCronLock); nothing when another process removed it first. */
function removeLock(): void {
  const aside = `${LOCK}.${process.pid}.gone`;
  try {
    renameSync(LOCK, aside);
  } catch {
    return;
  }
  rmSync(aside, { recursive: true, force: true });
}

/** Takes the real-cron lock, waiting up to `ms` for another real-cron test (of this run or another) to let go. */
export async function waitForCronLock(ms: number): Promise<(() => void) | null> {
  const until = Date.now() + ms;
  for (;;) {
    const unlock = takeCronLock();
    if (unlock || Date.now() > until) return unlock;
    await new Promise((r) => setTimeout(r, 500));
  }
}

/** A file's text, or '' when it cannot be read. */
export function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** Removes /etc/cron.d files left by copies of the test that died before their clean-up (their pid is gone). */
export function removeStaleCrontabs(): void {
  for (const name of readdirSync('/etc/cron.d')) {
    const pid = /^cronguard-test-(\d+)(?:[-.].*)?$/.exec(name)?.[1];
    if (pid && !alive(Number(pid))) rmSync(join('/etc/cron.d', name), { force: true });
  }
}

/** Whether a cron daemon runs on this machine (any process named cron). */
export function cronRunning(): boolean {
  return readdirSync('/proc').some((pid) => /^\d+$/.test(pid) && readFileSafe(`/proc/${pid}/comm`).trim() === 'cron');
}

/** Whether a cron process (the daemon, or a job runner it forked) still has a child: a job not yet ended. */
export function cronJobsRunning(): boolean {
  const crons = new Set<string>();
  const parents: string[] = [];
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const stat = readFileSafe(`/proc/${pid}/stat`);
    const ppid = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
    if (ppid === undefined) continue;
    parents.push(ppid);
    if (readFileSafe(`/proc/${pid}/comm`).trim() === 'cron') crons.add(pid);
  }
  return parents.some((ppid) => crons.has(ppid));
}

/** Starts Debian's cron in the foreground as our child, so that the test can stop exactly the daemon it started. */
export function startCron(): ChildProcess {
  return spawn('/usr/sbin/cron', ['-f'], { stdio: 'ignore' });
}

/** Stops a cron started by startCron, waiting at most a few seconds. */
export async function stopCron(cron: ChildProcess): Promise<void> {
  if (cron.exitCode !== null || cron.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => cron.once('exit', () => resolve()));
  cron.kill('SIGTERM');
  const late = setTimeout(() => cron.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(late);
}

const SENDMAIL = '/usr/sbin/sendmail';
const STAND_IN = '# cronguard real-cron test: sendmail stand-in';

/**
 * Installs a sendmail stand-in that appends each mail to `mailbox` when the machine has no sendmail (cron mails
 * through /usr/sbin/sendmail). Returns its remover, or null when a real one exists and is left alone.
 */
export function installSendmail(mailbox: string): (() => void) | null {
  if (existsSync(SENDMAIL)) return null;
  writeFileSync(SENDMAIL, `#!/bin/sh\n${STAND_IN}\n{ echo "=== sendmail $*"; cat; } >> '${mailbox}'\n`, { mode: 0o755 });
  return () => {
    if (readFileSafe(SENDMAIL).includes(STAND_IN)) unlinkSync(SENDMAIL);
  };
}

/** .ci/run sets CRONGUARD_REAL_CRON=required when it runs as root: then a missing prerequisite fails, never skips. */
const REQUIRED = process.env['CRONGUARD_REAL_CRON'] === 'required';

/**
 * A real-cron test's turn at the machine's one cron: fails (when required) or skips when `missing` says why it
 * cannot run here, else takes the machine-wide lock and clears crontabs of dead copies. Returns the list of
 * undo steps, run in reverse after the test, the lock last; null when the test was skipped.
 */
export async function takeRealCronTurn(t: TestContext, missing: string | null): Promise<Array<() => unknown> | null> {
  if (missing) {
    if (REQUIRED) assert.fail(`real-cron test required but ${missing}`);
    t.skip(`real-cron test skipped: ${missing}`);
    return null;
  }
  // The other real-cron test file may hold the lock for a minute or two.
  const unlock = await waitForCronLock(150_000);
  if (!unlock) {
    if (REQUIRED) assert.fail('another real-cron test holds /tmp/cronguard-real-cron.lock');
    t.skip('real-cron test skipped: another copy of it runs on this machine');
    return null;
  }
  const undo: Array<() => unknown> = [unlock];
  t.after(async () => { for (const step of undo.reverse()) await step(); });
  removeStaleCrontabs();
  return undo;
}

/**
 * Waits, by the clock, for the early part of a minute, so that a crontab written now is read by cron at the
 * next minute boundary (one wait, not two). Returns that boundary, in ms since the epoch.
 */
export async function earlyInAMinute(): Promise<number> {
  await waitFor(() => new Date().getSeconds() < 55, 10_000, 'the start of a minute');
  return Math.ceil((Date.now() + 1) / 60_000) * 60_000;
}

/** Starts cron for the test unless one runs already; the one started is stopped with the test's undo steps. */
export function ensureCron(undo: Array<() => unknown>): void {
  if (cronRunning()) return;
  const cron = startCron();
  undo.push(() => stopCron(cron));
}
