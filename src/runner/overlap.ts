import { staleAfterMs } from '../shared/heartbeat.ts';
import { isGroupAlive, isProcessAlive } from '../shared/proc.ts';
import type { Clock } from '../shared/time.ts';
import { iso } from '../shared/time.ts';
import type { JobSchedule, OverlapMode, RunRecord } from '../shared/types.ts';
import type { HolderCheck } from '../store/store.ts';
import { interruptibleSleep, type Interrupts } from './interrupts.ts';
import type { Recorder } from './recorder.ts';

export type { OverlapMode };

/** How often a waiting run looks again whether the earlier one ended. */
const WAIT_POLL_MS = 1000;

/** Whether the job may start now, or why not. */
export type Turn =
  | { go: true }
  | { go: false; status: 'skipped' | 'killed'; reason: string };

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
  if (mode === 'allow' || !recorder.working) {
    if (mode !== 'allow') deps.warn(`cannot check for an earlier run of ${run.job} without the database: running anyway (--overlap ${mode} acts as allow)`);
    await recorder.begin(run, schedule);
    return { go: true };
  }
  const isLive = holderIsLive(() => deps.clock.now());
  const deadline = deps.waitLimitMs === null ? Infinity : deps.clock.now().getTime() + deps.waitLimitMs;
  const firstTry = run.startedAt;
  const notStarted = (status: 'skipped' | 'killed', reason: string): Turn => {
    run.startedAt = firstTry;
    return { go: false, status, reason };
  };
  for (;;) {
    run.startedAt = iso(deps.clock.now());
    run.heartbeatAt = run.startedAt;
    const holder = await recorder.beginExclusive(run, schedule, isLive);
    if (!recorder.working) {
      deps.warn(`cannot check for an earlier run of ${run.job}: running anyway (--overlap ${mode} acts as allow)`);
      return { go: true };
    }
    if (holder === null) return { go: true };
    if (mode === 'skip') return notStarted('skipped', `run ${holder} of ${run.job} is still running`);
    if (deps.clock.now().getTime() + WAIT_POLL_MS > deadline) {
      return notStarted('skipped', `waited ${Math.round(deps.waitLimitMs ?? 0) / 1000}s in vain for run ${holder} of ${run.job} to end`);
    }
    if (await interruptibleSleep(WAIT_POLL_MS, deps.interrupts)) {
      return notStarted('killed', `cronguard received ${deps.interrupts.received} while waiting for run ${holder}`);
    }
  }
}
