import { nowMs } from '../shared/time.ts';
import { groupMembers, isGroupAlive } from '../shared/proc.ts';

/** Sends a signal to every process of a group; a group already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nothing left to signal.
  }
}

/**
 * Stops a process group as coreutils timeout does with --kill-after: `first` now, then SIGKILL to
 * whatever is left after `killAfterMs`. Returns a cancel for the pending SIGKILL.
 */
export function escalate(pgid: number, first: NodeJS.Signals, killAfterMs: number): () => void {
  signalGroup(pgid, first);
  const timer = setTimeout(() => {
    if (isGroupAlive(pgid)) signalGroup(pgid, 'SIGKILL');
  }, killAfterMs);
  return () => clearTimeout(timer);
}

/** How long after the SIGKILL the group may take to vanish before cronguard stops waiting for it. */
export const GIVE_UP_AFTER_KILL_MS = 5000;

/**
 * Resolves once no process is left in the group (polling: Linux has no wait for a group), or after
 * `limitMs` with the pids still alive: one cronguard may not signal (another user's, under sudo) or one
 * stuck in the kernel must not keep the wrapper, and its record, from ever finishing.
 */
export function groupGone(pgid: number, limitMs: number, pollMs = 50): Promise<number[]> {
  const until = nowMs() + limitMs;
  return new Promise((resolve) => {
    const check = () => {
      if (!isGroupAlive(pgid)) return resolve([]);
      if (nowMs() > until) return resolve(groupMembers(pgid));
      setTimeout(check, pollMs);
    };
    check();
  });
}
