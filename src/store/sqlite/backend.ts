import { existsSync, statSync } from 'node:fs';
import type { Backend } from '../backend.ts';
import { openSqliteStore } from './index.ts';

/** A history kept in one SQLite file; its spool is a file beside it. */
export const sqliteBackend: Backend<'sqlite'> = {
  // A file that exists but is empty is a database no cronguard has written yet: nothing recorded.
  async exists(target) {
    return existsSync(target.path) && statSync(target.path).size > 0;
  },
  async open(target, writable) {
    return openSqliteStore(target.path, !writable);
  },
  spoolPath(target) {
    return `${target.path}.spool`;
  },
};
