import { dirname, resolve } from 'node:path';
import { badOption } from '../shared/errors.ts';
import { defaultDbPath } from './paths.ts';
import { parsePostgresUrl, redact } from './postgres/url.ts';

/**
 * Where a cronguard history lives, as the user named it (--db, CRONGUARD_DB, the default of SPEC §5).
 * Each kind has one backend in src/store/backend.ts. A PostgreSQL target keeps the URL as given (its
 * password, if any, included) and how messages name it; `env`, `spoolDir` and `host` are what the
 * command's context says (PG* variables, CRONGUARD_SPOOL_DIR, CRONGUARD_HOST), absent when a test names a
 * target directly.
 */
export type StoreTarget =
  | { kind: 'sqlite'; path: string }
  | { kind: 'postgres'; url: string; display: string; env?: NodeJS.ProcessEnv; spoolDir?: string; host?: string };

const postgresTarget = (url: string): StoreTarget => ({ kind: 'postgres', url, display: redact(url) });

/** URL schemes that name a backend; any other `scheme://` is refused, never taken for a relative file path. */
const SCHEMES: Record<string, (text: string) => StoreTarget> = { postgres: postgresTarget, postgresql: postgresTarget };

const URL_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** The target a --db value (or CRONGUARD_DB) names; null for a URL whose scheme no backend serves. */
export function targetOf(text: string): StoreTarget | null {
  const scheme = URL_SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'sqlite', path: resolve(text) };
  return SCHEMES[scheme]?.(text) ?? null;
}

/** Like targetOf, but a value naming nothing cronguard can open is the user's error (exit 125). */
export function parseTarget(option: string, text: string): StoreTarget {
  if (text === '') throw badOption(option, text, 'expected a file path');
  const target = targetOf(text);
  if (target === null) throw badOption(option, text, 'expected a file path; this cronguard has no database backend for that kind of URL');
  return target;
}

/** The target as messages name it (never with a password in it). */
export function describeTarget(target: StoreTarget): string {
  return target.kind === 'sqlite' ? target.path : target.display;
}

/** Whether two targets name the same history (sweep: does a crontab line record here?). */
export function sameTarget(a: StoreTarget, b: StoreTarget): boolean {
  return describeTarget(a) === describeTarget(b) && a.kind === b.kind;
}

/** What a command's context says about where it runs: its environment, user and home. */
export interface TargetContext {
  env: NodeJS.ProcessEnv;
  uid: number;
  home: string;
  host: string;
  warn: (message: string) => void;
}

/**
 * A PostgreSQL URL is checked before anything runs (a bad sslmode is the user's mistake: exit 125), and
 * given what the backend needs from this process: its environment (PG* variables), this host's spool
 * directory (CRONGUARD_SPOOL_DIR, else §5's) and this host's name. A password in the URL works, but ps
 * and the crontab show it to other users: said once on stderr.
 */
export function targetInContext(target: StoreTarget, option: string, ctx: TargetContext): StoreTarget {
  if (target.kind !== 'postgres') return target;
  const settings = parsePostgresUrl(option, target.url, ctx.env, ctx.home);
  if (settings.passwordInUrl) {
    ctx.warn('the database URL carries a password, which ps and the crontab show to other users; use PGPASSWORD or ~/.pgpass (PGPASSFILE) instead');
  }
  const given = ctx.env['CRONGUARD_SPOOL_DIR'];
  const spoolDir = given?.startsWith('/') ? given : dirname(defaultDbPath(ctx.env, ctx.uid, ctx.home));
  return { ...target, env: ctx.env, spoolDir, host: ctx.host };
}
