import { existsSync, statSync } from 'node:fs';
import type { CommandMain } from './context.ts';
import { DURATION_HINT, durationMs } from '../shared/duration.ts';
import { badOption, CronguardError } from '../shared/errors.ts';
import { parseWhen } from '../shared/when.ts';
import { formatBytes } from '../report/bytes.ts';
import { localTime } from '../report/local-time.ts';
import type { PruneCount } from '../store/store.ts';
import { storeTargetOf } from './db-path.ts';
import { exclusive, stringOption, withStore } from './forensics.ts';
import { openOrExplain } from './open-read.ts';

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
  const path = target.sqlitePath;
  if (path !== null && (!existsSync(path) || statSync(path).size === 0)) {
    ctx.stdout(`no runs recorded in ${path}; nothing to prune\n`);
    return 0;
  }
  const before = path === null ? 0 : fileBytes(path);
  const dryRun = args.options['dry-run'] === true;
  const counted = await withStore(await openOrExplain(target, false), 'prune', async (store) => {
    if (dryRun) return store.prune.count(cutoff);
    const removed = await store.prune.remove(cutoff);
    if (args.options['vacuum']) await store.prune.vacuum();
    return removed;
  });
  ctx.stdout(`${dryRun ? 'would delete' : 'deleted'} ${describe(counted)} that ended before ${localTime(cutoff)}\n`);
  if (args.options['vacuum']) {
    ctx.stdout(path === null ? `vacuumed ${target.display}\n` : `vacuumed ${path}: ${formatBytes(before)} -> ${formatBytes(fileBytes(path))}\n`);
  }
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
