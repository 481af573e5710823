import { existsSync, statSync } from 'node:fs';
import type { ParsedArgs } from '../shared/argv.ts';
import type { CliContext } from './context.ts';
import { CronguardError, describeError } from '../shared/errors.ts';
import { openTargetStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import type { StoreTarget } from '../store/target.ts';
import { storeTargetOf } from './db-path.ts';

/**
 * Opens the database read-only for a forensics command, so reading never holds a lock a job's write
 * waits for; null when there is no database file yet (an empty file too): no runs recorded.
 */
export async function openForReading(args: ParsedArgs, ctx: CliContext): Promise<Store | null> {
  const target = storeTargetOf(args, ctx);
  warnAboutPassword(target, ctx);
  if (target.sqlitePath !== null && (!existsSync(target.sqlitePath) || statSync(target.sqlitePath).size === 0)) return null;
  return openOrExplain(target, true);
}

/** Opens the store, turning a failure (not a database, unreadable, locked, unreachable) into one clear line. */
export async function openOrExplain(target: StoreTarget, readonly: boolean): Promise<Store> {
  try {
    return await openTargetStore(target, readonly);
  } catch (error) {
    if (error instanceof CronguardError) throw error;
    throw new CronguardError(`cannot ${readonly ? 'read' : 'open'} the database ${target.display}: ${describeError(error)}`, 125, { cause: error });
  }
}

/** A password in the URL is shown by ps and in the crontab: said once on stderr, and used all the same. */
export function warnAboutPassword(target: StoreTarget, ctx: CliContext): void {
  if (target.postgres?.passwordInUrl) {
    ctx.stderr('cronguard: the database URL carries a password, which ps and the crontab show to other users; use PGPASSWORD or ~/.pgpass (PGPASSFILE) instead\n');
  }
}
