import { accessSync, constants, statSync } from 'node:fs';
import { CronguardError, EXIT } from '../../shared/errors.ts';
import type { Backend } from '../backend.ts';
import { openSqliteStore } from './index.ts';

/** A history kept in one SQLite file; its spool is a file beside it. */
export const sqliteBackend: Backend<'sqlite'> = {
  // A file that exists but is empty is a database no cronguard has written yet: nothing recorded. One this
  // user may not read is "permission denied", never "nothing recorded" (a wrong answer would look calm).
  async exists(target) {
    try {
      const size = statSync(target.path).size;
      accessSync(target.path, constants.R_OK);
      return size > 0;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return false;
      if (code === 'EACCES' || code === 'EPERM') {
        throw new CronguardError(`cannot read the database ${target.path}: permission denied`, EXIT.internal, { cause: error });
      }
      throw error;
    }
  },
  async open(target, writable) {
    return openSqliteStore(target.path, !writable);
  },
  spoolPath(target) {
    return `${target.path}.spool`;
  },
};
