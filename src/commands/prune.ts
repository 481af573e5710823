import type { CommandMain } from './context.ts';
import { DURATION_HINT, durationMs } from '../shared/duration.ts';
import { badOption, CronguardError } from '../shared/errors.ts';
import { parseWhen } from '../shared/when.ts';
import { formatBytes } from '../report/bytes.ts';
import { localTime } from '../report/local-time.ts';
import type { PruneCount } from '../store/store.ts';
import { exclusive, stringOption, withStore } from './forensics.ts';
import { openStore } from '../store/open.ts';
import { describeTarget } from '../store/target.ts';
import { storeTargetOf } from './store-target.ts';

/**
 * `cronguard prune --older-than DUR`: deletes finished runs that ended longer ago, with their attempts
 * and output; never a `running` one. The one forensics command that writes, so it opens read-write.
 */
export const pruneMain: CommandMain = async (args, ctx) => {
  exclusive(args, 'dry-run', 'vacuum');
  const olderThan = stringOption(args, 'older-than');
  if (olderThan === undefined) throw new CronguardError('prune needs --older-than DUR, e.g. cronguard prune --older-than 90d');
  if (durationMs(olderThan) === undefined) throw badOption('--older-than', olderThan, DURATION_HINT);
  const cutoff = parseWhen('--older-than', olderThan, new Date());
  const target = storeTargetOf(args, ctx);
  const opened = await openStore(target, 'update');
  if (opened === null) {
    ctx.stdout(`no runs recorded in ${describeTarget(target)}; nothing to prune\n`);
    return 0;
  }
  const dryRun = args.options['dry-run'] === true;
  const vacuum = args.options['vacuum'] === true;
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
  return 0;
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
