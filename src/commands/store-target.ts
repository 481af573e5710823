import type { ParsedArgs } from '../shared/argv.ts';
import type { CliContext } from './context.ts';
import { hostName } from '../shared/proc.ts';
import { defaultDbPath } from '../store/paths.ts';
import { parseTarget, targetInContext, type StoreTarget } from '../store/target.ts';

/** The history this command uses: --db, else CRONGUARD_DB, else the default file of SPEC §5. */
export function storeTargetOf(args: ParsedArgs, ctx: CliContext): StoreTarget {
  const context = { env: ctx.env, uid: ctx.uid, home: ctx.home, host: hostName(), warn: (m: string) => ctx.stderr(`cronguard: ${m}\n`) };
  const given = args.options['db'];
  if (typeof given === 'string') return targetInContext(parseTarget('--db', given), '--db', context);
  const fromEnv = ctx.env['CRONGUARD_DB'];
  if (fromEnv) return targetInContext(parseTarget('CRONGUARD_DB', fromEnv), 'CRONGUARD_DB', context);
  return { kind: 'sqlite', path: defaultDbPath(ctx.env, ctx.uid, ctx.home) };
}
