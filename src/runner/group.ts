import { isGroupAlive } from '../shared/proc.ts';

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
export function escalate(pgid: number, first: NodeJS.Signals, killAfterMs: number, onKill: () => void): () => void {
  signalGroup(pgid, first);
  const timer = setTimeout(() => {
    if (isGroupAlive(pgid)) {
      onKill();
      signalGroup(pgid, 'SIGKILL');
    }
  }, killAfterMs);
  return () => clearTimeout(timer);
}

/** Resolves once no process is left in the group (polling: Linux has no wait for a group). */
export function groupGone(pgid: number, pollMs = 20): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (isGroupAlive(pgid) ? setTimeout(check, pollMs) : resolve());
    check();
  });
}
