import { createHash } from 'node:crypto';
import { homedir, hostname } from 'node:os';
import { dirname, join } from 'node:path';
import type { Backend, TargetOf } from '../backend.ts';
import { clientOf } from './client.ts';
import { defaultDbPath } from '../paths.ts';
import { openPostgresStore } from './index.ts';
import { parsePostgresUrl } from './url.ts';

/** How long one call may take on a writer's path (a run's record, a sweep, a prune) before it counts as failed. */
const WRITER_CALL_LIMIT_MS = 30_000;

/** The connection settings of a target, with the password found the way libpq finds it. */
function settingsOf(target: TargetOf<'postgres'>) {
  const env = target.env ?? process.env;
  return parsePostgresUrl('--db', target.url, env, env['HOME'] || homedir());
}

/**
 * A history in a PostgreSQL database shared by many hosts: it exists once a writer created its schema (a
 * database that does not exist at all holds nothing either). Its spool is this host's: in §5's directory
 * (or CRONGUARD_SPOOL_DIR), one file per database, named by a digest of the URL without its password.
 */
export const postgresBackend: Backend<'postgres'> = {
  async exists(target) {
    // One quick look before a reader (or prune) opens: a full server is waited for as briefly as a reader does.
    const client = clientOf(settingsOf(target), WRITER_CALL_LIMIT_MS, 'reader');
    try {
      const [row] = await client.call((sql) => sql`SELECT to_regclass('cronguard_schema') IS NOT NULL AS present`);
      return row?.['present'] === true;
    } catch (error) {
      if ((error as { code?: string }).code === '3D000') return false; // no such database
      throw error;
    } finally {
      await client.end();
    }
  },
  async open(target, writable) {
    const settings = settingsOf(target);
    // The host comes with the target: this file is bundled apart and shares no module state with the CLI.
    return openPostgresStore(settings, target.host ?? hostname(), writable ? WRITER_CALL_LIMIT_MS : null);
  },
  spoolPath(target) {
    const env = target.env ?? process.env;
    const dir = target.spoolDir ?? dirname(defaultDbPath(env, process.getuid?.() ?? -1, env['HOME'] || homedir()));
    return join(dir, `postgres-${createHash('sha256').update(target.display).digest('hex').slice(0, 12)}.spool`);
  },
};
