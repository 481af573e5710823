import { dirname } from 'node:path';
import type { ParsedArgs } from '../shared/argv.ts';
import type { CliContext } from './context.ts';
import { hostName } from '../shared/proc.ts';
import { defaultDbPath } from '../store/paths.ts';
import { parsePostgresUrl } from '../store/postgres/url.ts';
import { parseTarget, type StoreTarget } from '../store/target.ts';

/** The history this command uses: --db, else CRONGUARD_DB, else the default file of SPEC §5. */
export function storeTargetOf(args: ParsedArgs, ctx: CliContext): StoreTarget {
  const given = args.options['db'];
  if (typeof given === 'string') return withContext(parseTarget('--db', given), '--db', ctx);
  const fromEnv = ctx.env['CRONGUARD_DB'];
  if (fromEnv) return withContext(parseTarget('CRONGUARD_DB', fromEnv), 'CRONGUARD_DB', ctx);
  return { kind: 'sqlite', path: defaultDbPath(ctx.env, ctx.uid, ctx.home) };
}

/**
 * A PostgreSQL URL is checked before anything runs (a bad sslmode is the user's mistake: exit 125), and
 * given what the backend needs from this process: its environment (PG* variables), this host's spool
 * directory (CRONGUARD_SPOOL_DIR, else §5's) and this host's name. A password in the URL works, but ps
 * and the crontab show it to other users: said once on stderr.
 */
function withContext(target: StoreTarget, option: string, ctx: CliContext): StoreTarget {
  if (target.kind !== 'postgres') return target;
  const settings = parsePostgresUrl(option, target.url, ctx.env, ctx.home);
  if (settings.passwordInUrl) {
    ctx.stderr('cronguard: the database URL carries a password, which ps and the crontab show to other users; use PGPASSWORD or ~/.pgpass (PGPASSFILE) instead\n');
  }
  const spoolDir = ctx.env['CRONGUARD_SPOOL_DIR']?.startsWith('/') ? ctx.env['CRONGUARD_SPOOL_DIR'] : dirname(defaultDbPath(ctx.env, ctx.uid, ctx.home));
  return { ...target, env: ctx.env, spoolDir, host: hostName() };
}
