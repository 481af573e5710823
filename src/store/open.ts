import { join } from 'node:path';
import { hostName } from '../shared/proc.ts';
import { openSqliteStore } from './sqlite/index.ts';
import type { Store } from './store.ts';
import type { StoreTarget } from './target.ts';

// Set by the production build: the PostgreSQL backend (with postgres.js) is a file of its own, required
// only for a postgres:// target, so a SQLite run neither reads nor compiles it.
declare const CRONGUARD_PG_CHUNK: string | undefined;

type PostgresBackend = typeof import('./postgres/index.ts');

async function postgresBackend(): Promise<PostgresBackend> {
  return typeof CRONGUARD_PG_CHUNK === 'string'
    ? require(join(__dirname, CRONGUARD_PG_CHUNK)) as PostgresBackend
    : import('./postgres/index.ts');
}

/** How long one call to a database on the network may take on a run's path before it counts as failed. */
export const RUN_CALL_LIMIT_MS = 15_000;

/**
 * Opens the store a target names. `callLimitMs` bounds every call to a network database (runs pass
 * RUN_CALL_LIMIT_MS; a report may take as long as it needs).
 */
export async function openTargetStore(target: StoreTarget, readonly: boolean, callLimitMs: number | null = null): Promise<Store> {
  if (target.postgres) return (await postgresBackend()).openPostgresStore(target.postgres, hostName(), callLimitMs);
  return openSqliteStore(target.sqlitePath as string, readonly);
}
