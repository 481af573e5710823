import { EXIT } from '../shared/errors.ts';
import type { CommandMain } from './context.ts';
import { statsJson } from '../report/json.ts';
import { makeStyle } from '../report/style.ts';
import { statsTable } from '../report/stats.ts';
import { safeFields } from '../shared/neutralise.ts';
import { optionValue } from '../shared/option-values.ts';
import { STATS } from '../shared/options.ts';
import { requireKnownJob, withStore } from './forensics.ts';
import { openStore } from '../store/open.ts';
import { describeTarget } from '../store/target.ts';
import { storeTargetOf } from './store-target.ts';

/** `cronguard stats [JOB]`: per job, runs, successes, failures by status, success rate and duration percentiles. */
export const statsMain: CommandMain = async (args, ctx) => {
  const job = args.positionals[0];
  const since = optionValue(args, STATS.since);
  const target = storeTargetOf(args, ctx);
  const store = await openStore(target, 'read');
  const stats = store === null ? [] : await withStore(store, 'read', async (s) => {
    // As in history: an error for a person, the empty answer for a script.
    if (job !== undefined && args.options['json'] !== true) await requireKnownJob(s, job);
    return s.reads.stats({ ...(job !== undefined ? { job } : {}), ...(since !== undefined ? { since } : {}) });
  });
  if (args.options['json']) ctx.stdout(`${JSON.stringify(stats.map(statsJson), null, 2)}\n`);
  else if (store === null) ctx.stdout(`no runs recorded in ${describeTarget(target)}\n`);
  else if (stats.length === 0) ctx.stdout(`no finished runs${since === undefined ? '' : ' in that time'}\n`);
  else ctx.stdout(statsTable(safeFields(stats), makeStyle(ctx.stdoutIsTTY, ctx.env)));
  return EXIT.ok;
};
