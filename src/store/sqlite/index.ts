import type { Store } from '../store.ts';
import { sqliteAlertStore } from './alerts.ts';
import { BUSY_TIMEOUT_MS, isSqliteBusy, openDatabase, QUICK_BUSY_MS, type SqliteDatabase } from './database.ts';
import { sqliteRunPruner } from './prune.ts';
import { sqliteMetricsReader } from './metrics.ts';
import { sqliteRunReader } from './reads.ts';
import { sqliteReportReader } from './report.ts';
import { sqliteRunWriter } from './runs.ts';
import { settleRunDays } from './run-days.ts';
import { sqliteSweepRepo } from './sweep.ts';

/** A value made on first use: each repo prepares its statements only when a command needs it. */
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}

/**
 * Checkpoints the write-ahead log without waiting: a TRUNCATE checkpoint waits for every reader while holding
 * the write lock, so with many sweeps and runs at once it would make them all wait in turn. Busy now: the
 * next sweep does it.
 */
function maintainLog(db: SqliteDatabase): void {
  const timeout = db.pragma('busy_timeout', { simple: true }) as number;
  db.pragma('busy_timeout = 0');
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.pragma(`busy_timeout = ${timeout}`);
  }
}

/** A Store kept in one SQLite file. Opened through openStore (src/store/open.ts), not directly. */
export function openSqliteStore(path: string, readonly: boolean, quick = false): Store {
  const db = openDatabase(path, readonly, quick ? QUICK_BUSY_MS : BUSY_TIMEOUT_MS);
  const runs = once(() => sqliteRunWriter(db));
  const reads = once(() => sqliteRunReader(db));
  const prune = once(() => sqliteRunPruner(db, path));
  const alerts = once(() => sqliteAlertStore(db));
  const metrics = once(() => sqliteMetricsReader(db));
  const sweep = once(() => sqliteSweepRepo(db));
  const report = once(() => sqliteReportReader(db));
  return {
    describe: () => path,
    // Brings the day summaries stats reads up to date (run-days.ts), then folds the write-ahead log back into
    // the file and truncates it: a writer that never sees the database idle (a long run holds it open)
    // would otherwise let it grow without bound.
    maintain: async () => {
      try {
        settleRunDays(db);
      } finally {
        maintainLog(db);
      }
    },
    get runs() { return runs(); },
    get reads() { return reads(); },
    get prune() { return prune(); },
    get alerts() { return alerts(); },
    get metrics() { return metrics(); },
    get sweep() { return sweep(); },
    get report() { return report(); },
    quickLocks: (on) => { db.pragma(`busy_timeout = ${on ? QUICK_BUSY_MS : BUSY_TIMEOUT_MS}`); },
    isBusy: isSqliteBusy,
    close: () => db.close(),
  };
}
