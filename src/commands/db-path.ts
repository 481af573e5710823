import type { ParsedArgs } from '../shared/argv.ts';
import type { CliContext } from './context.ts';
import { storeTarget, type StoreTarget } from '../store/target.ts';

/** The store: --db, else CRONGUARD_DB, else the default of SPEC §5 (a file path, or a postgres:// URL). */
export function storeTargetOf(args: ParsedArgs, ctx: CliContext): StoreTarget {
  const given = args.options['db'];
  return storeTarget(typeof given === 'string' ? given : undefined, ctx.env, ctx.uid, ctx.home);
}

/** How messages name the store: the file, or the URL without its password. */
export function dbPathOf(args: ParsedArgs, ctx: CliContext): string {
  return storeTargetOf(args, ctx).display;
}
