import { existsSync, statSync } from 'node:fs';
import type { ParsedArgs } from '../shared/argv.ts';
import type { CliContext } from './context.ts';
import { CronguardError, describeError } from '../shared/errors.ts';
import { openSqliteStore } from '../store/sqlite/index.ts';
import type { Store } from '../store/store.ts';
import { dbPathOf } from './db-path.ts';

/**
 * Opens the database read-only for a forensics command, so reading never holds a lock a job's write
 * waits for; null when there is no database yet (an empty file too): no runs recorded.
 */
export function openForReading(args: ParsedArgs, ctx: CliContext): Store | null {
  const path = dbPathOf(args, ctx);
  if (!existsSync(path) || statSync(path).size === 0) return null;
  return openOrExplain(path, true);
}

/** Opens the store, turning a failure (not a database, unreadable, locked) into one clear line. */
export function openOrExplain(path: string, readonly: boolean): Store {
  try {
    return openSqliteStore(path, readonly);
  } catch (error) {
    if (error instanceof CronguardError) throw error;
    throw new CronguardError(`cannot ${readonly ? 'read' : 'open'} the database ${path}: ${describeError(error)}`, 125, { cause: error });
  }
}
