import type { CommandMain } from './context.ts';
import { formatBytes } from '../report/bytes.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import { CronguardError, EXIT } from '../shared/errors.ts';
import { flagGiven } from '../shared/option-values.ts';
import { FORGET } from '../shared/options.ts';
import { openStore } from '../store/open.ts';
import type { ForgetCount, Store } from '../store/store.ts';
import { describeTarget } from '../store/target.ts';
import { withStore } from './forensics.ts';
import { storeTargetOf } from './store-target.ts';

/**
 * `cronguard forget JOB [--dry-run]`: removes a job that no longer exists (renamed, deleted, a demo) with
 * its runs, its open problems and what sweep learned of it, so it stops raising alarms (SPEC §6).
 */
export const forgetMain: CommandMain = async (args, ctx) => {
  const job = args.positionals[0];
  if (job === undefined) throw new CronguardError('forget needs the JOB to forget, e.g. cronguard forget old-backup (cronguard status lists them)');
  const target = storeTargetOf(args, ctx);
  const opened = await openStore(target, 'update');
  if (opened === null) throw new CronguardError(`no job named ${JSON.stringify(job)}: nothing is recorded in ${describeTarget(target)}`);
  const dryRun = flagGiven(args, FORGET.dryRun);
  const counted = await withStore(opened, 'forget a job in', async (store) => {
    const found = await store.prune.forget(job, true);
    if (!known(found)) await unknownJob(store, job);
    if (found.running !== null) {
      throw new CronguardError(`job ${JSON.stringify(job)} has a run still running (${found.running}): forget it once that run has ended (if its wrapper is gone, cronguard sweep marks it lost)`);
    }
    return dryRun ? found : store.prune.forget(job, false);
  });
  if (counted.running !== null) throw new CronguardError(`job ${JSON.stringify(job)} started a run while being forgotten (${counted.running}); its older runs are gone`);
  ctx.stdout(`${dryRun ? 'would forget' : 'forgot'} job ${JSON.stringify(job)}: ${describe(counted)}\n`);
  if (counted.crontab) ctx.stdout('if a crontab still runs it, the next sweep watches it again, as a new job\n');
  return EXIT.ok;
};

/** Whether the store knows the job at all. */
function known(c: ForgetCount): boolean {
  return c.runs > 0 || c.problems > 0 || c.crontab || c.recorded || c.running !== null;
}

/** Refuses an unknown name, with the known names that look like it. */
async function unknownJob(store: Store, job: string): Promise<never> {
  const names = new Set([...(await store.reads.jobNames()), ...(await store.sweep.jobs()).map((j) => j.job)]);
  const hint = didYouMean(job, [...names]) || ` (it knows ${names.size} job${names.size === 1 ? '' : 's'}; cronguard status lists them)`;
  throw new CronguardError(`no job named ${JSON.stringify(job)} in ${store.describe()}${hint}`);
}

/** "12 runs (14 attempts, 3.1 KiB of kept output), 1 open problem, its crontab lines as sweep last read them". */
function describe(c: ForgetCount): string {
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const parts = [c.runs === 0 ? '0 runs' : `${plural(c.runs, 'run')} (${plural(c.attempts, 'attempt')}, ${formatBytes(c.outputBytes)} of kept output)`];
  parts.push(plural(c.problems, 'open problem'));
  if (c.crontab) parts.push('its crontab lines as sweep last read them');
  if (c.recorded) parts.push('what its runs recorded of it (name, --schedule)');
  return parts.join(', ');
}
