import { createHash } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { CronguardError } from '../shared/errors.ts';
import { defaultDbPath, spoolPath } from './paths.ts';
import { isPostgresTarget, parsePostgresTarget, type PostgresTarget } from './postgres/target.ts';

/** Where the store is: a SQLite file, or a PostgreSQL database; and where this host spools what it cannot write. */
export interface StoreTarget {
  /** How messages name it: the file's path, or the URL without its password. */
  display: string;
  /** This host's spool for this store: beside the file, or in §5's directory for a database on the network. */
  spool: string;
  sqlitePath: string | null;
  postgres: PostgresTarget | null;
}

/** What the target is read from: --db, else CRONGUARD_DB, else the default of SPEC §5. */
export function storeTarget(given: string | undefined, env: NodeJS.ProcessEnv, uid: number, home: string): StoreTarget {
  const text = given ?? (env['CRONGUARD_DB'] || undefined);
  if (text === '') throw new CronguardError('--db "": expected a file path or a postgres:// URL');
  if (text !== undefined && isPostgresTarget(text)) {
    const postgres = parsePostgresTarget(text, env, home);
    // One spool per database, named by a digest of its URL (never the password): two databases never mix.
    const digest = createHash('sha256').update(postgres.display).digest('hex').slice(0, 12);
    const dir = env['CRONGUARD_SPOOL_DIR']?.startsWith('/') ? env['CRONGUARD_SPOOL_DIR'] : dirname(defaultDbPath(env, uid, home));
    return { display: postgres.display, spool: join(dir, `postgres-${digest}.spool`), sqlitePath: null, postgres };
  }
  const path = text !== undefined ? resolve(text) : defaultDbPath(env, uid, home);
  return { display: path, spool: spoolPath(path), sqlitePath: path, postgres: null };
}
