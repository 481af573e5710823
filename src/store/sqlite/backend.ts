import { accessSync, constants, statSync } from 'node:fs';
import { CronguardError, EXIT } from '../../shared/errors.ts';
import type { Backend } from '../backend.ts';
import { isSqliteBusy } from './database.ts';
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
  async open(target, writable, quick = false) {
    return openSqliteStore(target.path, !writable, quick);
  },
  isBusy: isSqliteBusy,
  spoolPath(target) {
    return `${target.path}.spool`;
  },
  // SQLite keeps the opened file open, so its inode cannot be reused while we run: a file at the path
  // with another device or inode is another file, and none at all means ours was deleted.
  watch(target) {
    const opened = statSync(target.path);
    return () => {
      let now;
      try {
        now = statSync(target.path);
      } catch {
        return `the database file ${target.path} was deleted while the job ran`;
      }
      if (now.dev !== opened.dev || now.ino !== opened.ino) return `the database file ${target.path} was replaced while the job ran`;
      return null;
    };
  },
};
