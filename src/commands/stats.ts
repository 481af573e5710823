import { EXIT } from '../shared/errors.ts';
import type { CommandMain } from './context.ts';
import { statsJson } from '../report/json.ts';
import { durationHistogram } from '../report/histogram.ts';
import { makeStyle, outputWidth } from '../report/style.ts';
import { statsTable } from '../report/stats.ts';
import { neutraliseLine, safeFields } from '../shared/neutralise.ts';
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
  const host = optionValue(args, STATS.host);
  const target = storeTargetOf(args, ctx);
  const store = await openStore(target, 'read');
  const human = args.options['json'] !== true;
  const { stats, buckets } = store === null ? { stats: [], buckets: [] } : await withStore(store, 'read', async (s) => {
    // As in history: an error for a person, the empty answer for a script.
    if (job !== undefined && human) await requireKnownJob(s, job);
    return {
      stats: await s.reads.stats({ ...(job !== undefined ? { job } : {}), ...(since !== undefined ? { since } : {}), ...(host !== undefined ? { host } : {}) }),
      // One job's durations as a histogram, for a person: counted by the store in logarithmic buckets.
      buckets: job !== undefined && human ? await s.report.durationBuckets([{ from: since ?? '', to: '9999' }], job, host) : [],
    };
  });
  if (args.options['json']) ctx.stdout(`${JSON.stringify(stats.map(statsJson), null, 2)}\n`);
  else if (store === null) ctx.stdout(`no runs recorded in ${describeTarget(target)}\n`);
  else if (stats.length === 0) ctx.stdout(`no finished runs${since === undefined ? '' : ' in that time'}\n`);
  else {
    ctx.stdout(statsTable(safeFields(stats), makeStyle(ctx.stdoutIsTTY, ctx.env)));
    const width = outputWidth(ctx.stdoutIsTTY, ctx.stdoutColumns, ctx.env);
    const runs = buckets.reduce((n, b) => n + b.runs, 0);
    if (job !== undefined) ctx.stdout(durationHistogram(`durations of ${neutraliseLine(job)} (${runs} finished run${runs === 1 ? '' : 's'}):`, buckets, width));
  }
  return EXIT.ok;
};
