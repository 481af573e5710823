import type { CommandMain } from './context.ts';
import { CronguardError, EXIT } from '../shared/errors.ts';
import { safeFields } from '../shared/neutralise.ts';
import { historyCsv, historyTable } from '../report/history.ts';
import { runJson } from '../wire/run-json.ts';
import { makeStyle } from '../report/style.ts';
import type { RunFilter } from '../store/store.ts';
import { optionValue } from '../shared/option-values.ts';
import { HISTORY } from '../shared/options.ts';
import { exclusive, requireKnownJob, withStore } from './forensics.ts';
import { openStore } from '../store/open.ts';
import { describeTarget } from '../store/target.ts';
import { storeTargetOf } from './store-target.ts';

/** `cronguard history [JOB]`: runs newest first, as a table, JSON or CSV. */
export const historyMain: CommandMain = async (args, ctx) => {
  exclusive(args, 'json', 'csv');
  const filter = historyFilter(args);
  const machine = args.options['json'] === true || args.options['csv'] === true;
  const target = storeTargetOf(args, ctx);
  const store = await openStore(target, 'read');
  const runs = store === null ? [] : await withStore(store, 'read', async (s) => {
    const found = await s.reads.list(filter);
    // A typo deserves an error; a script asking for JSON or CSV gets the truthful empty answer instead.
    if (found.length === 0 && filter.job !== undefined && !machine) await requireKnownJob(s, filter.job);
    return found;
  });
  if (args.options['json']) ctx.stdout(`${JSON.stringify(runs.map((r) => runJson(r)), null, 2)}\n`);
  else if (args.options['csv']) ctx.stdout(historyCsv(runs));
  else if (runs.length === 0) ctx.stdout(store === null ? `no runs recorded in ${describeTarget(target)}\n` : 'no runs match\n');
  else ctx.stdout(historyTable(safeFields(runs), makeStyle(ctx.stdoutIsTTY, ctx.env), ctx.stdoutIsTTY));
  return EXIT.ok;
};

/** The listing the options ask for; --limit 0 lifts the limit. */
function historyFilter(args: Parameters<CommandMain>[0]): RunFilter {
  const job = args.positionals[0];
  const since = optionValue(args, HISTORY.since);
  const until = optionValue(args, HISTORY.until);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new CronguardError(`--since ${JSON.stringify(args.options['since'])} is not before --until ${JSON.stringify(args.options['until'])}`);
  }
  const limit = optionValue(args, HISTORY.limit);
  const statuses = optionValue(args, HISTORY.status);
  const host = optionValue(args, HISTORY.host);
  return {
    ...(job !== undefined ? { job } : {}), ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}),
    ...(statuses !== undefined ? { statuses } : {}), ...(host !== undefined ? { host } : {}), ...(limit > 0 ? { limit } : {}),
  };
}
