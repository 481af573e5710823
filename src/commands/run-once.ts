import { nearestStart } from '../schedule/nearest.ts';
import { bootTimeMs } from '../schedule/boot.ts';
import { describeError } from '../shared/errors.ts';
import { iso, type Clock } from '../shared/time.ts';
import type { JobSchedule, OverlapMode, RunRecord } from '../shared/types.ts';
import type { HolderCheck, Store } from '../store/store.ts';
import { neutralise } from '../shared/neutralise.ts';
import type { Interrupts } from '../runner/interrupts.ts';
import { holderIsLive, type Turn, untilTurn } from '../runner/overlap.ts';

/** What --once decided: run (the run is recorded), leave it to the host that claimed the start, or cannot know. */
export type OnceTurn = Turn | { report: string };

/** --overlap with --once: how a live earlier run of the job is met (skip, or wait at most `waitLimitMs`). */
export interface OnceOverlap {
  mode: OverlapMode;
  clock: Clock;
  interrupts: Interrupts;
  waitLimitMs: number | null;
}

/**
 * Claims the job's scheduled start nearest to now for this run, in one statement on the database (SPEC §8).
 * Without a working database no host can know whether another already ran that start: the job does not
 * run, and the report (which cron mails) says why. With --overlap skip|wait the claim is made only once no
 * earlier run of the job is alive (checked in the claim's transaction): a start whose turn never comes is
 * left unclaimed, so no host can be said to have run it.
 */
export async function onceTurn(
  plan: { job: string; schedule: JobSchedule | null }, run: RunRecord, store: Store | null, failure: string | null, display: string,
  overlap: OnceOverlap,
): Promise<OnceTurn> {
  const schedule = plan.schedule as JobSchedule;
  const startMs = nearestStart(schedule.schedule, schedule.tz, Date.parse(run.startedAt), bootTimeMs());
  const scheduledAt = startMs === null ? run.startedAt : iso(new Date(startMs));
  const refuse = (why: string): OnceTurn => ({
    report: `cronguard: job ${neutralise(plan.job)} did not run: --once must claim its start at ${scheduledAt} in the database `
      + `${neutralise(display)}, which cannot be used (${neutralise(why)}); no host can know whether another ran it. Exit 75.\n`,
  });
  if (!store) return refuse(failure ?? 'not opened');
  const isLive: HolderCheck | undefined = overlap.mode === 'allow' ? undefined : holderIsLive(() => overlap.clock.now());
  try {
    return await untilTurn(overlap.mode, run, overlap, async () => {
      const winner = await store.runs.claimOnce(run, plan.schedule, scheduledAt, isLive);
      if (winner === null) return { turn: { go: true } };
      if (!winner.stillRunning) {
        return { turn: { go: false, status: 'skipped', reason: `its start at ${scheduledAt} was claimed by host ${winner.host} (run ${winner.runId})` } };
      }
      return { holder: `run ${winner.runId} of ${plan.job} (host ${winner.host})` };
    });
  } catch (error) {
    return refuse(describeError(error));
  }
}
