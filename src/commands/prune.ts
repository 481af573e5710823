import { existsSync, statSync } from 'node:fs';
import type { CommandMain } from './context.ts';
import { CronguardError } from '../shared/errors.ts';
import { flagGiven, optionValue } from '../shared/option-values.ts';
import { PRUNE } from '../shared/options.ts';
import { formatBytes } from '../report/bytes.ts';
import { localTime } from '../report/local-time.ts';
import type { PruneCount } from '../store/store.ts';
import { dbPathOf } from './db-path.ts';
import { exclusive, withStore } from './forensics.ts';
import { openOrExplain } from './open-read.ts';

/**
 * `cronguard prune --older-than DUR`: deletes finished runs that ended longer ago, with their attempts
 * and output; never a `running` one. The one forensics command that writes, so it opens read-write.
 */
export const pruneMain: CommandMain = async (args, ctx) => {
  exclusive(args, 'dry-run', 'vacuum');
  const cutoff = optionValue(args, PRUNE.olderThan);
  if (cutoff === undefined) throw new CronguardError('prune needs --older-than DUR, e.g. cronguard prune --older-than 90d');
  const path = dbPathOf(args, ctx);
  if (!existsSync(path) || statSync(path).size === 0) {
    ctx.stdout(`no runs recorded in ${path}; nothing to prune\n`);
    return 0;
  }
  const before = fileBytes(path);
  const dryRun = flagGiven(args, PRUNE.dryRun);
  const counted = await withStore(openOrExplain(path, false), 'prune', async (store) => {
    if (dryRun) return store.prune.count(cutoff);
    const removed = await store.prune.remove(cutoff);
    if (args.options['vacuum']) await store.prune.vacuum();
    return removed;
  });
  ctx.stdout(`${dryRun ? 'would delete' : 'deleted'} ${describe(counted)} that ended before ${localTime(cutoff)}\n`);
  if (args.options['vacuum']) ctx.stdout(`vacuumed ${path}: ${formatBytes(before)} -> ${formatBytes(fileBytes(path))}\n`);
  return 0;
};

/** "12 runs (14 attempts, 3.1 KiB of kept output)". */
function describe(c: PruneCount): string {
  const runs = `${c.runs} run${c.runs === 1 ? '' : 's'}`;
  return c.runs === 0 ? runs : `${runs} (${c.attempts} attempt${c.attempts === 1 ? '' : 's'}, ${formatBytes(c.outputBytes)} of kept output)`;
}

/** The database's size on disk, its write-ahead log included. */
function fileBytes(path: string): number {
  const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
  return size(path) + size(`${path}-wal`);
}
