import { nearestStart } from '../schedule/nearest.ts';
import { bootTimeMs } from '../schedule/boot.ts';
import { describeError } from '../shared/errors.ts';
import { iso } from '../shared/time.ts';
import type { JobSchedule, RunRecord } from '../shared/types.ts';
import type { Store } from '../store/store.ts';
import { neutralise } from '../shared/neutralise.ts';

/** What --once decided: run (the run is recorded), leave it to the host that claimed the start, or cannot know. */
export type OnceTurn =
  | { go: true }
  | { go: false; status: 'skipped'; reason: string }
  | { report: string };

/**
 * Claims the job's scheduled start nearest to now for this run, in one statement on the database (SPEC §8).
 * Without a working database no host can know whether another already ran that start: the job does not
 * run, and the report (which cron mails) says why.
 */
export async function onceTurn(
  plan: { job: string; schedule: JobSchedule | null }, run: RunRecord, store: Store | null, failure: string | null, display: string,
): Promise<OnceTurn> {
  const schedule = plan.schedule as JobSchedule;
  const startMs = nearestStart(schedule.schedule, schedule.tz, Date.parse(run.startedAt), bootTimeMs());
  const scheduledAt = startMs === null ? run.startedAt : iso(new Date(startMs));
  const refuse = (why: string): OnceTurn => ({
    report: `cronguard: job ${neutralise(plan.job)} did not run: --once must claim its start at ${scheduledAt} in the database `
      + `${neutralise(display)}, which cannot be used (${neutralise(why)}); no host can know whether another ran it. Exit 75.\n`,
  });
  if (!store) return refuse(failure ?? 'not opened');
  try {
    const winner = await store.runs.claimOnce(run, plan.schedule, scheduledAt);
    if (winner === null) return { go: true };
    return { go: false, status: 'skipped', reason: `its start at ${scheduledAt} was claimed by host ${winner.host} (run ${winner.runId})` };
  } catch (error) {
    return refuse(describeError(error));
  }
}
