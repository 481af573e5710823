import type { Store } from '../store.ts';
import { openDatabase } from './database.ts';
import { sqliteRunPruner } from './prune.ts';
import { sqliteRunReader } from './reads.ts';
import { sqliteRunWriter } from './runs.ts';

/** A Store kept in one SQLite file. */
export function openSqliteStore(path: string, readonly: boolean): Store {
  const db = openDatabase(path, readonly);
  return {
    path,
    runs: sqliteRunWriter(db),
    reads: sqliteRunReader(db),
    prune: sqliteRunPruner(db),
    close: () => db.close(),
  };
}
