import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ROOT } from './cli.ts';

// Raw SQL on a SQLite history. Only for what the Store port cannot show or do: migration tests, tests that
// plant faults on purpose (locks, a WAL held open, notifications made due early) and the SQLite backend's
// own tests. Everything else reads through test/helpers/store.ts or the CLI's --json, so it holds for any backend.

/** Reads rows straight from a cronguard database; none before it exists. */
export function query<T>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  if (!existsSync(dbPath)) return [];
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } catch (error) {
    // The file exists before its first cronguard has created the tables: no rows yet.
    if (/no such table/.test((error as Error).message)) return [];
    throw error;
  } finally {
    db.close();
  }
}

/** Holds a database under BEGIN EXCLUSIVE in another process until the returned release is called. */
export function holdExclusiveLock(dbPath: string): Promise<() => Promise<void>> {
  const script = `
    const Database = require('better-sqlite3');
    const db = new Database(${JSON.stringify(dbPath)});
    db.exec('BEGIN EXCLUSIVE');
    db.exec('CREATE TABLE IF NOT EXISTS lock_holder (x)');
    process.stdout.write('locked\\n');
    process.stdin.on('data', () => { db.exec('ROLLBACK'); db.close(); process.exit(0); });
  `;
  const child = spawn(process.execPath, ['-e', script], { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.stdout.once('data', () => resolve(() => new Promise<void>((done) => {
      child.once('exit', () => done());
      child.stdin.write('release\n');
    })));
  });
}

/** Changes a cronguard database directly (e.g. to let time pass for a queued notification). */
export function execute(dbPath: string, sql: string, ...params: unknown[]): number {
  const db = new Database(dbPath, { fileMustExist: true, timeout: 10_000 });
  try {
    return db.prepare(sql).run(...params).changes;
  } finally {
    db.close();
  }
}
