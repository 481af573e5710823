import { nowMs } from '../shared/time.ts';
import type { JobProcess, JobScope } from '../shared/proc-scan.ts';

/** Sends a signal to every process of a group; a group already gone is not an error. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // ESRCH: nothing left to signal.
  }
}

function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone meanwhile, or not ours to signal (it is then named among the survivors).
  }
}

/** How long after the SIGKILL the job's processes may take to vanish before cronguard stops waiting for them. */
export const GIVE_UP_AFTER_KILL_MS = 5000;

/** How often the job's processes are looked up again while it is being stopped. */
const POLL_MS = 50;

/**
 * Stops a job as coreutils timeout does with --kill-after, but for every process of it: the group and
 * every process carrying the run's mark (one that left the group or started its own session) get
 * `first` now, anything found later gets it too, and whatever is left when the SIGKILL is due gets
 * SIGKILL. The grace for dying is counted from when the SIGKILL was actually sent, so a wrapper that
 * was starved (stopped, swapped out) past the deadline still sends it before judging. Resolves with the
 * processes still alive after that grace (none, normally): one cronguard may not signal or one stuck in
 * the kernel must not keep the wrapper, and its record, from ever finishing.
 */
export function stopJob(scope: JobScope, first: NodeJS.Signals, killAfterMs: number, giveUpMs = GIVE_UP_AFTER_KILL_MS): Promise<JobProcess[]> {
  const killDueAt = nowMs() + killAfterMs;
  let killedAt: number | null = null;
  const told = new Set<number>();
  signalGroup(scope.pgid, first);
  return new Promise((resolve) => {
    const round = async () => {
      const left = await scope.processes();
      const now = nowMs();
      if (killedAt === null && now >= killDueAt) {
        killedAt = now;
        signalGroup(scope.pgid, 'SIGKILL');
      }
      for (const p of left) {
        if (killedAt !== null) signalProcess(p.pid, 'SIGKILL');
        else if (!told.has(p.pid)) signalProcess(p.pid, first);
        told.add(p.pid);
      }
      if (left.length === 0) return resolve([]);
      if (killedAt !== null && now - killedAt >= giveUpMs) return resolve(left);
      const wait = killedAt === null ? Math.min(POLL_MS, Math.max(0, killDueAt - now)) : POLL_MS;
      setTimeout(() => void round(), wait);
    };
    void round();
  });
}
