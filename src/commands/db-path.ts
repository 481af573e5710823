import type { ParsedArgs } from '../shared/argv.ts';
import type { CliContext } from './context.ts';
import { defaultDbPath } from '../store/paths.ts';
import { resolve } from 'node:path';
import { CronguardError } from '../shared/errors.ts';

/** The database file: --db, else CRONGUARD_DB, else the default of SPEC §5. */
export function dbPathOf(args: ParsedArgs, ctx: CliContext): string {
  const given = args.options['db'];
  if (typeof given === 'string') {
    if (given === '') throw new CronguardError('--db "": expected a file path');
    return resolve(given);
  }
  const fromEnv = ctx.env['CRONGUARD_DB'];
  if (fromEnv) return resolve(fromEnv);
  return defaultDbPath(ctx.env, ctx.uid, ctx.home);
}
