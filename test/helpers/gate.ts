import { randomUUID } from 'node:crypto';
import { readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after } from 'node:test';

/**
 * A command that runs until the test lets it end: a marker to wait for instead of a sleep whose length
 * a loaded machine decides. The gate opens by itself when the test file ends, so nothing is left waiting.
 */
export function gate(dir: string): { argv: string[]; open(): void } {
  const file = join(dir, `gate-${randomUUID()}`);
  const open = () => {
    try {
      writeFileSync(file, '');
    } catch {
      // The directory is gone already: the loop below ends by itself.
    }
  };
  after(open);
  // The loop also ends when the directory is gone: a test that failed before opening its gate, whose temp
  // directory was removed first, must not leave the command waiting forever.
  return { argv: ['sh', '-c', 'while [ ! -e "$0" ] && [ -d "$1" ]; do sleep 0.05; done', file, dir], open };
}

/** Whether a process holds a file open (its /proc/PID/fd): e.g. a wrapper at work on the database. */
export function holdsOpen(pid: number, path: string): boolean {
  try {
    return readdirSync(`/proc/${pid}/fd`).some((fd) => {
      try {
        return readlinkSync(`/proc/${pid}/fd/${fd}`) === path;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}
