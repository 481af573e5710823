import type { ParsedArgs } from '../shared/argv.ts';
import type { CliContext } from './context.ts';
import { defaultDbPath } from '../store/paths.ts';
import { parseTarget, type StoreTarget } from '../store/target.ts';

/** The history this command uses: --db, else CRONGUARD_DB, else the default file of SPEC §5. */
export function storeTargetOf(args: ParsedArgs, ctx: CliContext): StoreTarget {
  const given = args.options['db'];
  if (typeof given === 'string') return parseTarget('--db', given);
  const fromEnv = ctx.env['CRONGUARD_DB'];
  if (fromEnv) return parseTarget('CRONGUARD_DB', fromEnv);
  return { kind: 'sqlite', path: defaultDbPath(ctx.env, ctx.uid, ctx.home) };
}
