import type { CommandMain } from './context.ts';
import { CronguardError, EXIT } from '../shared/errors.ts';
import { flagGiven, optionValue } from '../shared/option-values.ts';
import { PRUNE } from '../shared/options.ts';
import { formatBytes } from '../report/bytes.ts';
import { localTime } from '../shared/local-time.ts';
import type { PruneCount } from '../store/store.ts';
import { exclusive, withStore } from './forensics.ts';
import { openStore } from '../store/open.ts';
import { describeTarget } from '../store/target.ts';
import { storeTargetOf } from './store-target.ts';

/**
 * `cronguard prune --older-than DUR`: deletes finished runs that ended longer ago, with their attempts
 * and output; never a `running` one. The one forensics command that writes, so it opens read-write.
 */
export const pruneMain: CommandMain = async (args, ctx) => {
  exclusive(args, 'dry-run', 'vacuum');
  const cutoff = optionValue(args, PRUNE.olderThan);
  if (cutoff === undefined) throw new CronguardError('prune needs --older-than DUR, e.g. cronguard prune --older-than 90d');
  const target = storeTargetOf(args, ctx);
  const opened = await openStore(target, 'update');
  if (opened === null) {
    ctx.stdout(`no runs recorded in ${describeTarget(target)}; nothing to prune\n`);
    return EXIT.ok;
  }
  const dryRun = flagGiven(args, PRUNE.dryRun);
  const vacuum = flagGiven(args, PRUNE.vacuum);
  const { counted, sizes } = await withStore(opened, 'prune', async (store) => {
    const before = vacuum ? await store.prune.sizeBytes() : null;
    if (dryRun) return { counted: await store.prune.count(cutoff), sizes: null };
    const removed = await store.prune.remove(cutoff);
    if (!vacuum) return { counted: removed, sizes: null };
    await store.prune.vacuum();
    return { counted: removed, sizes: { before, after: await store.prune.sizeBytes() } };
  });
  ctx.stdout(`${dryRun ? 'would delete' : 'deleted'} ${describe(counted)} that ended before ${localTime(cutoff)}\n`);
  if (sizes) ctx.stdout(`vacuumed ${describeTarget(target)}: ${size(sizes.before)} -> ${size(sizes.after)}\n`);
  return EXIT.ok;
};

/** "12 runs (14 attempts, 3.1 KiB of kept output)". */
function describe(c: PruneCount): string {
  const runs = `${c.runs} run${c.runs === 1 ? '' : 's'}`;
  return c.runs === 0 ? runs : `${runs} (${c.attempts} attempt${c.attempts === 1 ? '' : 's'}, ${formatBytes(c.outputBytes)} of kept output)`;
}

/** A size the backend may not know. */
function size(bytes: number | null): string {
  return bytes === null ? 'unknown' : formatBytes(bytes);
}
