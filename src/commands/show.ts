import type { CommandMain } from '../cli/context.ts';
import { CronguardError } from '../shared/errors.ts';
import { runJson } from '../report/json.ts';
import { openForReading } from './open-read.ts';

/** `cronguard show RUN_ID`: one run with every attempt's kept output. */
export const showMain: CommandMain = async (args, ctx) => {
  const prefix = args.positionals[0];
  if (!prefix) throw new CronguardError('show needs a RUN_ID (usage: cronguard show RUN_ID [--json])');
  const store = openForReading(args, ctx);
  const runs = store ? await store.reads.findByPrefix(prefix, 10) : [];
  store?.close();
  const run = runs[0];
  if (!run) throw new CronguardError(`no run with id ${JSON.stringify(prefix)}`);
  ctx.stdout(`${JSON.stringify(runJson(run, true), null, 2)}\n`);
  return 0;
};
