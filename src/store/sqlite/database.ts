import type BetterSqlite3 from 'better-sqlite3';
import { fingerprintOfStoredChannel } from '../../shared/channel.ts';
import { CronguardError } from '../../shared/errors.ts';
import { preparePrivateFile } from '../private-files.ts';
import { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';
import { LOCK_PATIENCE_MS } from '../busy.ts';

// Loaded with require, not import: an ESM import of this CommonJS package makes Node scan its source for
// exports on every start, which costs a cron tick several milliseconds. The build bundles its JavaScript
// (only the compiled addon stays outside, see nativeBinding): resolving and loading its dozen files one by
// one cost a cron tick about 8 ms of CPU.
const Database = require('better-sqlite3') as typeof BetterSqlite3;

export type SqliteDatabase = BetterSqlite3.Database;

/** How long a writer waits for another's lock before giving up (SPEC §5: several seconds). */
export const BUSY_TIMEOUT_MS = LOCK_PATIENCE_MS;

/**
 * How long one call waits for a lock while a run starts or runs (Store.quickLocks): SQLite waits
 * synchronously, so this is how long the wrapper's event loop can be held; the Recorder tries again
 * after timers, up to its own patience.
 */
export const QUICK_BUSY_MS = 30;

/** Whether an error is only another connection's lock: worth trying again after a while. */
export function isSqliteBusy(error: unknown): boolean {
  return /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown })?.code ?? ''));
}

/** The page size of new database files. */
export const PAGE_SIZE = 16384;

let addonPath: string | undefined;
/** The compiled addon's path: naming it spares better-sqlite3 the search its `bindings` helper makes on every start. */
function nativeBinding(): string {
  addonPath ??= require.resolve('better-sqlite3/build/Release/better_sqlite3.node');
  return addonPath;
}

/** Opens (creating when writable) the database file, in WAL mode, migrated to this version. */
export function openDatabase(path: string, readonly: boolean, busyTimeoutMs = BUSY_TIMEOUT_MS): SqliteDatabase {
  // A writer checks the directory and creates the file privately first (SPEC §9), then opens it by the
  // checked path; a reader may read whatever it can read.
  const file = readonly ? path : preparePrivateFile(path);
  const db = new Database(file, { readonly, fileMustExist: readonly, timeout: busyTimeoutMs, nativeBinding: nativeBinding() });
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    if (version > SCHEMA_VERSION) {
      throw new CronguardError(
        `${path}: database schema version ${version} is newer than this cronguard understands (${SCHEMA_VERSION}); upgrade cronguard`,
      );
    }
    if (readonly) {
      // No mmap for readers: every page a scan touched would count in their resident memory (a stats or
      // an export over a million runs reached the size of the index or the file), and with the pages
      // in the OS cache reading them through SQLite's small page cache is as fast.
      if (version === SCHEMA_VERSION) return db;
      // An older file is migrated once, by a short writable open, then read as asked.
      db.close();
      openDatabase(path, false).close();
      return openDatabase(path, true);
    }
    // A new file gets 16 KiB pages before anything is written: a million runs then take ~4% less room
    // than with 4 KiB pages (fewer page headers, fuller pages). It cannot change once the file has content.
    if (version === 0) db.pragma(`page_size = ${PAGE_SIZE}`);
    if ((db.pragma('journal_mode', { simple: true }) as string) !== 'wal') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    if (version < SCHEMA_VERSION) migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/** Applies the migrations this file lacks, under a write lock so concurrent openers apply them once. */
function migrate(db: SqliteDatabase): void {
  db.function('cronguard_channel_fingerprint', { deterministic: true }, (text: unknown) => fingerprintOfStoredChannel(text));
  db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    for (const migration of MIGRATIONS) {
      if (migration.version > current) db.exec(migration.sql);
    }
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
