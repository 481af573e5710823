import { existsSync } from 'node:fs';
import type { ParsedArgs } from '../cli/argv.ts';
import type { CliContext } from '../cli/context.ts';
import { openSqliteStore } from '../store/sqlite/index.ts';
import type { Store } from '../store/store.ts';
import { dbPathOf } from './db-path.ts';

/** Opens the database read-only for a forensics command; null when there is no database yet (no runs). */
export function openForReading(args: ParsedArgs, ctx: CliContext): Store | null {
  const path = dbPathOf(args, ctx);
  if (!existsSync(path)) return null;
  return openSqliteStore(path, true);
}
