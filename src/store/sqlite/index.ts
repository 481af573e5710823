import type { Store } from '../store.ts';
import { sqliteAlertStore } from './alerts.ts';
import { openDatabase } from './database.ts';
import { sqliteRunPruner } from './prune.ts';
import { sqliteMetricsReader } from './metrics.ts';
import { sqliteRunReader } from './reads.ts';
import { sqliteRunWriter } from './runs.ts';
import { sqliteSweepRepo } from './sweep.ts';

/** A Store kept in one SQLite file. */
export function openSqliteStore(path: string, readonly: boolean): Store {
  const db = openDatabase(path, readonly);
  return {
    path,
    runs: sqliteRunWriter(db),
    reads: sqliteRunReader(db),
    prune: sqliteRunPruner(db),
    alerts: sqliteAlertStore(db),
    metrics: sqliteMetricsReader(db),
    sweep: sqliteSweepRepo(db),
    close: () => db.close(),
  };
}
