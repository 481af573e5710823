import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { after } from 'node:test';
import { cronEnv } from './cli.ts';

/** Whether a pid is a live (not zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** Live processes whose environment holds MARKER=value: finds every descendant a fixture started. */
export function processesMarked(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const env = readFileSync(`/proc/${entry}/environ`, 'latin1');
      if (env.split('\0').includes(marker) && isAlive(Number(entry))) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

/**
 * A fresh environment marker that every process of a job inherits, so a test can find its whole tree;
 * whatever still carries it when the test file ends is killed, even after a failed assertion.
 */
export function markedJob(): { mark: string; env: NodeJS.ProcessEnv } {
  const value = randomUUID();
  const mark = `CG_TEST_MARK=${value}`;
  after(() => killAll(processesMarked(mark)));
  return { mark, env: cronEnv({ CG_TEST_MARK: value }) };
}

/** SIGKILLs each pid; one that exited since it was listed is already what we wanted. */
export function killAll(pids: readonly number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  }
}
