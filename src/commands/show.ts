import type { CommandMain } from './context.ts';
import { parseCount } from '../shared/count.ts';
import { badOption, CronguardError, EXIT } from '../shared/errors.ts';
import { safeFields } from '../shared/neutralise.ts';
import { runJson } from '../wire/run-json.ts';
import { localTime } from '../shared/local-time.ts';
import { rawOutput, showText } from '../report/show.ts';
import { makeStyle } from '../report/style.ts';
import type { RunRecord } from '../shared/types.ts';
import { optionValue } from '../shared/option-values.ts';
import { SHOW } from '../shared/options.ts';
import { exclusive, withStore } from './forensics.ts';
import { openStore } from '../store/open.ts';
import { describeTarget } from '../store/target.ts';
import { storeTargetOf } from './store-target.ts';

/** How many candidates an ambiguous prefix lists. */
const CANDIDATES = 10;

/** `cronguard show RUN_ID`: one run with every attempt's kept output; a unique prefix of the id suffices. */
export const showMain: CommandMain = async (args, ctx) => {
  exclusive(args, 'json', 'raw');
  const prefix = args.positionals[0];
  if (prefix === undefined) throw new CronguardError('show needs a RUN_ID (usage: cronguard show RUN_ID [--json|--raw])');
  if (!/^[0-9a-f-]{4,}$/i.test(prefix)) throw badOption('RUN_ID', prefix, 'expected at least 4 characters of a run id (hex digits and dashes)');
  const attemptText = optionValue(args, SHOW.attempt);
  const target = storeTargetOf(args, ctx);
  const store = await openStore(target, 'read');
  const runs = store === null ? [] : await withStore(store, 'read', (s) => s.reads.findByPrefix(prefix, CANDIDATES + 1));
  const run = pickRun(runs, prefix, describeTarget(target));
  let attempts = run.attempts;
  if (attemptText !== undefined) {
    const n = parseCount('--attempt', attemptText, 1, Math.max(1, run.attempts.length));
    attempts = run.attempts.filter((a) => a.n === n);
  }
  if (args.options['json']) ctx.stdout(`${JSON.stringify(runJson({ ...run, attempts }, true), null, 2)}\n`);
  else if (args.options['raw']) ctx.stdout(rawOutput(attempts));
  else ctx.stdout(showText(safeFields(run), safeFields(attempts), makeStyle(ctx.stdoutIsTTY, ctx.env), ctx.stdoutIsTTY));
  return EXIT.ok;
};

/** The one run a prefix names; none or several is the user's error, with the candidates listed. */
function pickRun(runs: RunRecord[], prefix: string, where: string): RunRecord {
  const [first, second] = runs;
  if (first === undefined) throw new CronguardError(`no run with an id starting ${JSON.stringify(prefix)} in ${where}`);
  if (second === undefined) return first;
  const more = runs.length > CANDIDATES ? `\n  ... and more: give more characters` : '';
  const lines = safeFields(runs.slice(0, CANDIDATES)).map((r) => `\n  ${r.id}  ${localTime(r.startedAt)}  ${r.job}  ${r.status}`);
  throw new CronguardError(`run id prefix ${JSON.stringify(prefix)} is ambiguous; it starts ${runs.length > CANDIDATES ? `more than ${CANDIDATES}` : runs.length} runs:${lines.join('')}${more}`);
}
