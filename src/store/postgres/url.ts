import { userInfo } from 'node:os';
import { CronguardError } from '../../shared/errors.ts';
import { pgpassPassword, pgpassPath } from './pgpass.ts';

/** The libpq sslmode values; absent means `prefer`, as with libpq. */
const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSL_MODES)[number];

/** How long connecting may take, in seconds, unless the URL's connect_timeout says otherwise (SPEC §8). */
const DEFAULT_CONNECT_TIMEOUT_S = 5;

/** A postgres:// URL, parsed: everything needed to connect, and how to name it without its password. */
export interface PostgresSettings {
  host: string;
  port: number;
  database: string;
  user: string;
  password: string | null;
  sslmode: SslMode;
  connectTimeoutS: number;
  /** The URL without its password: for messages and for naming this host's spool. */
  display: string;
  /** Whether the URL itself carries a password (warned about: ps and crontabs show it). */
  passwordInUrl: boolean;
}

/** Query parameters understood in the URL (those of libpq cronguard honours). */
const KNOWN_PARAMS = new Set(['sslmode', 'connect_timeout', 'host', 'port', 'application_name']);

/**
 * Parses `postgres://user@host:port/db?sslmode=…`. The password comes from the URL, else PGPASSWORD,
 * else the .pgpass file (PGPASSFILE or ~/.pgpass). A URL cronguard cannot use is the user's mistake:
 * refused before anything runs.
 */
export function parsePostgresUrl(option: string, text: string, env: NodeJS.ProcessEnv, home: string): PostgresSettings {
  const refuse = (why: string) => new CronguardError(`${option} ${JSON.stringify(redact(text))}: ${why}`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw refuse('not a valid postgres:// URL');
  }
  for (const key of url.searchParams.keys()) {
    if (!KNOWN_PARAMS.has(key)) throw refuse(`unknown parameter "${key}" (known: ${[...KNOWN_PARAMS].join(', ')})`);
  }
  const sslmode = (url.searchParams.get('sslmode') ?? env['PGSSLMODE'] ?? 'prefer') as SslMode;
  if (!SSL_MODES.includes(sslmode)) throw refuse(`sslmode "${sslmode}" is not one of ${SSL_MODES.join(', ')}`);
  const timeoutText = url.searchParams.get('connect_timeout') ?? env['PGCONNECT_TIMEOUT'];
  const connectTimeoutS = timeoutText === undefined || timeoutText === null ? DEFAULT_CONNECT_TIMEOUT_S : Number(timeoutText);
  if (!Number.isInteger(connectTimeoutS) || connectTimeoutS < 1 || connectTimeoutS > 60) throw refuse('connect_timeout must be 1-60 seconds');
  const host = url.searchParams.get('host') || decodeURIComponent(url.hostname) || env['PGHOST'] || 'localhost';
  const port = Number(url.searchParams.get('port') || url.port || env['PGPORT'] || 5432);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw refuse('not a valid port');
  const user = decodeURIComponent(url.username) || env['PGUSER'] || userInfo().username;
  const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || env['PGDATABASE'] || user;
  const passwordInUrl = url.password !== '';
  const password = passwordInUrl
    ? decodeURIComponent(url.password)
    : env['PGPASSWORD'] ?? pgpassPassword(pgpassPath(env, home), { host, port: String(port), database, user });
  return { host, port, database, user, password, sslmode, connectTimeoutS, display: redact(text), passwordInUrl };
}

/** The URL with any password replaced by `***`: what messages show. */
export function redact(text: string): string {
  return text.replace(/^(postgres(?:ql)?:\/\/[^:@/?#]*):[^@/?#]*@/i, '$1:***@');
}
