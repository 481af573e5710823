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
  return untilTurn(mode, run, deps, async () => {
    const holder = await recorder.beginExclusive(run, schedule, isLive);
    if (deps.interrupts.received) {
      return { turn: { go: false, status: 'killed', reason: `cronguard received ${deps.interrupts.received} while waiting for the lease of ${run.job}` } };
    }
    if (!recorder.working) {
      deps.warn(`cannot check for an earlier run of ${run.job}: running anyway (--overlap ${mode} acts as allow)`);
      return { turn: { go: true } };
    }
    return holder === null ? { turn: { go: true } } : { holder: `run ${holder} of ${run.job}` };
  });
}

/** What one look for the turn found: the turn itself, or a live earlier run ("run ID of JOB ...") holding the job. */
export type Look = { turn: Turn } | { holder: string };

/**
 * The --overlap rule both ways of starting share (takeTurn, and --once's claim): look, dating the run at
 * each look; while an earlier run holds the job, skip, or wait for it, polling, for at most waitLimitMs (a
 * signal ends the wait). A run that does not start keeps the time of its first look.
 */
export async function untilTurn(
  mode: OverlapMode, run: RunRecord, deps: { clock: Clock; interrupts: Interrupts; waitLimitMs: number | null }, look: () => Promise<Look>,
): Promise<Turn> {
  const deadline = deps.waitLimitMs === null ? Infinity : deps.clock.now().getTime() + deps.waitLimitMs;
  const firstTry = run.startedAt;
  const notStarted = (turn: Turn): Turn => {
    run.startedAt = firstTry;
    run.heartbeatAt = firstTry;
    return turn;
  };
  for (;;) {
    run.startedAt = iso(deps.clock.now());
    run.heartbeatAt = run.startedAt;
    const seen = await look();
    if ('turn' in seen) return seen.turn.go ? seen.turn : notStarted(seen.turn);
    const { holder } = seen;
    if (mode !== 'wait') return notStarted({ go: false, status: 'skipped', reason: `${holder} is still running` });
    // The whole bound is waited: the last look is taken at the deadline itself.
    const left = deadline - deps.clock.now().getTime();
    if (left <= 0) {
      return notStarted({ go: false, status: 'skipped', reason: `waited ${Math.round(deps.waitLimitMs ?? 0) / 1000}s in vain for ${holder} to end`, inVain: true });
    }
    if (await interruptibleSleep(Math.min(WAIT_POLL_MS, left), deps.interrupts)) {
      return notStarted({ go: false, status: 'killed', reason: `cronguard received ${deps.interrupts.received} while waiting for ${holder}` });
    }
  }
}
