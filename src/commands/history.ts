import type { CommandMain } from '../cli/context.ts';
import { runJson } from '../report/json.ts';
import { openForReading } from './open-read.ts';

/** `cronguard history [JOB]`: runs newest first. */
export const historyMain: CommandMain = async (args, ctx) => {
  const store = openForReading(args, ctx);
  const job = args.positionals[0];
  const runs = store ? await store.reads.list({ ...(job ? { job } : {}), limit: 50 }) : [];
  store?.close();
  ctx.stdout(`${JSON.stringify(runs.map((r) => runJson(r)), null, 2)}\n`);
  return 0;
};
