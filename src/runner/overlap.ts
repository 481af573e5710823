import { staleAfterMs } from '../shared/heartbeat.ts';
import { isGroupAlive, isProcessAlive } from '../shared/proc.ts';
import type { Clock } from '../shared/time.ts';
import { iso } from '../shared/time.ts';
import type { JobSchedule, OverlapMode, RunRecord } from '../shared/types.ts';
import type { HolderCheck } from '../store/store.ts';
import { interruptibleSleep, type Interrupts } from './interrupts.ts';
import type { Recorder } from './recorder.ts';

export type { OverlapMode };

/** How often a waiting run looks again whether the earlier one ended: it starts soon after. */
export const WAIT_POLL_MS = 250;

/** How long a plain run waits for its first record to be written before starting the command anyway. */
const START_WAIT_MS = 500;

/** Resolves when `promise` settles or `ms` pass, whichever comes first. */
function settledWithin(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise.then(() => {}, () => {}), new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })])
    .finally(() => clearTimeout(timer));
}

/** Whether the job may start now, or why not; `inVain`: --overlap wait gave up (reported like a failure). */
export type Turn =
  | { go: true }
  | { go: false; status: 'skipped' | 'killed'; reason: string; inVain?: boolean };

/**
 * An earlier run still holds the job while its wrapper lives (same host, pid and start time) or any
 * process of its command's group does. A holder on another host cannot be probed: its heartbeat decides.
 */
export function holderIsLive(now: () => Date): HolderCheck {
  return ({ holder, pgid, heartbeatAt, heartbeatMs }) => {
    const alive = isProcessAlive(holder);
    if (alive === undefined) return now().getTime() - Date.parse(heartbeatAt) < staleAfterMs(heartbeatMs);
    return alive || (pgid !== null && isGroupAlive(pgid));
  };
}

/**
 * Records the run as started, honouring --overlap: the check and the insert happen in one write
 * transaction, so two runs starting together cannot both win. Without a working database the job is
 * let through (allow), with a warning: the job comes first.
 */
export async function takeTurn(
  mode: OverlapMode, run: RunRecord, schedule: JobSchedule | null, recorder: Recorder,
  deps: { clock: Clock; interrupts: Interrupts; waitLimitMs: number | null; warn: (message: string) => void },
): Promise<Turn> {
  // The lease can only be seen once the store is open; a plain run does not wait for that.
  if (mode !== 'allow') await recorder.opened;
  if (mode === 'allow' || !recorder.working) {
    if (mode !== 'allow') deps.warn(`cannot check for an earlier run of ${run.job} without the database: running anyway (--overlap ${mode} acts as allow)`);
    // The job need not wait for its record: with the database locked it starts within START_WAIT_MS
    // and its writes, queued in order, catch up (or end in the spool).
    await settledWithin(recorder.begin(run, schedule), START_WAIT_MS);
    return { go: true };
  }
  const isLive = holderIsLive(() => deps.clock.now());
  const deadline = deps.waitLimitMs === null ? Infinity : deps.clock.now().getTime() + deps.waitLimitMs;
  const firstTry = run.startedAt;
  const notStarted = (status: 'skipped' | 'killed', reason: string, inVain = false): Turn => {
    run.startedAt = firstTry;
    return inVain ? { go: false, status, reason, inVain } : { go: false, status, reason };
  };
  for (;;) {
    run.startedAt = iso(deps.clock.now());
    run.heartbeatAt = run.startedAt;
    const holder = await recorder.beginExclusive(run, schedule, isLive);
    if (deps.interrupts.received) {
      return notStarted('killed', `cronguard received ${deps.interrupts.received} while waiting for the lease of ${run.job}`);
    }
    if (!recorder.working) {
      deps.warn(`cannot check for an earlier run of ${run.job}: running anyway (--overlap ${mode} acts as allow)`);
      return { go: true };
    }
    if (holder === null) return { go: true };
    if (mode === 'skip') return notStarted('skipped', `run ${holder} of ${run.job} is still running`);
    // The whole bound is waited: the last look is taken at the deadline itself.
    const left = deadline - deps.clock.now().getTime();
    if (left <= 0) {
      return notStarted('skipped', `waited ${Math.round(deps.waitLimitMs ?? 0) / 1000}s in vain for run ${holder} of ${run.job} to end`, true);
    }
    if (await interruptibleSleep(Math.min(WAIT_POLL_MS, left), deps.interrupts)) {
      return notStarted('killed', `cronguard received ${deps.interrupts.received} while waiting for run ${holder}`);
    }
  }
}
