// A throwaway PostgreSQL cluster for the tests: initdb into a temp dir, started with pg_ctl on a free
// port (and a Unix socket in that dir), as the `postgres` system user when the tests run as root;
// stopped and removed when the test file ends, even when it fails.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import postgres from 'postgres';

export type AdminSql = postgres.Sql<Record<string, never>>;

export interface PgCluster {
  port: number;
  dir: string;
  /** A URL for a database of this cluster, as the superuser unless `user` is given. */
  url(database: string, user?: string): string;
  /** A fresh, empty database; its URL. */
  createDatabase(): Promise<string>;
  /** A client on a database (closed with the cluster). */
  admin(database?: string): AdminSql;
  stop(): void;
  start(): void;
  /** The role `secret` logs in with a password only (scram), for the password tests. */
  secretPassword: string;
}

/** The newest installed server's bin directory (/usr/lib/postgresql/N/bin), or null. */
export function postgresBin(): string | null {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const versions = readdirSync(base).filter((v) => existsSync(join(base, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(base, versions[0], 'bin') : null;
}

/** Why the PostgreSQL tests cannot run here, or null when they can. */
export function postgresMissing(): string | null {
  if (!postgresBin()) return 'PostgreSQL server binaries not installed (.ci/run installs Debian\'s postgresql)';
  if (process.getuid?.() === 0 && !serverUser()) return 'no `postgres` system user to run the server as';
  return null;
}

/** The uid/gid the server runs as: the `postgres` user when we are root (the server refuses root). */
function serverUser(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('postgres:'));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

let exitsOnSignals = false;

/**
 * Makes a signal end this process through 'exit', where every cluster is stopped: the server is a daemon,
 * not our child, and a test file killed by the runner's timeout (SIGTERM) or ^C would otherwise leave it
 * running, with its port and its files, on a shared machine.
 */
function exitOnSignals(): void {
  if (exitsOnSignals) return;
  exitsOnSignals = true;
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => process.exit(128 + osConstants.signals[signal]));
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Starts a cluster; `cleanUpAfter` registers its removal (the test file's `after` by default; the bench passes its own). */
export async function startCluster(cleanUpAfter: (fn: () => Promise<void>) => void = after): Promise<PgCluster> {
  const bin = postgresBin() as string;
  const user = serverUser() as { uid: number; gid: number };
  const dir = mkdtempSync(join(tmpdir(), 'cronguard-pg-'));
  chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const as = { uid: user.uid, gid: user.gid, cwd: dir, env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' }, stdio: 'pipe' as const };
  execFileSync(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--no-sync', '--no-instructions'], as);
  const secretPassword = randomBytes(12).toString('hex');
  writeFileSync(join(data, 'pg_hba.conf'), [
    'local all all trust',
    'host all secret 127.0.0.1/32 scram-sha-256',
    'host all all 127.0.0.1/32 trust',
  ].join('\n') + '\n');
  let port = 0;
  const clients: AdminSql[] = [];
  const ctl = (args: string[]) => spawnSync(join(bin, 'pg_ctl'), ['-D', data, ...args], as);
  const start = () => {
    const r = ctl(['-l', join(dir, 'server.log'), '-w', '-t', '120', 'start']);
    if (r.status !== 0) throw new Error(`pg_ctl start failed: ${r.stderr}${readLog(dir)}`);
  };
  const stop = () => { ctl(['-m', 'immediate', '-w', '-t', '60', 'stop']); };
  let removed = false;
  const remove = () => {
    if (removed) return;
    removed = true;
    stop();
    rmSync(dir, { recursive: true, force: true });
  };
  process.once('exit', remove);
  exitOnSignals();
  cleanUpAfter(async () => {
    await Promise.all(clients.map((c) => c.end({ timeout: 1 })));
    remove();
  });
  for (let tries = 0; ; tries++) {
    port = await freePort();
    appendFileSync(join(data, 'postgresql.conf'), `\nport = ${port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '${dir}'\nfsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 100\n`);
    try {
      start();
      break;
    } catch (error) {
      if (tries >= 3) { remove(); throw error; }
    }
  }
  const url = (database: string, role = 'postgres') => `postgres://${role}@127.0.0.1:${port}/${database}?sslmode=disable`;
  const admin = (database = 'postgres') => {
    const sql = postgres(url(database), { max: 2, onnotice: () => {} }) as unknown as AdminSql;
    clients.push(sql);
    return sql;
  };
  const root = admin();
  await root.unsafe(`CREATE ROLE secret LOGIN SUPERUSER PASSWORD '${secretPassword}'`);
  return {
    port, dir, url, admin, stop, start, secretPassword,
    async createDatabase() {
      const name = `t_${randomBytes(6).toString('hex')}`;
      await root.unsafe(`CREATE DATABASE ${name}`);
      return url(name);
    },
  };
}

function readLog(dir: string): string {
  try { return readFileSync(join(dir, 'server.log'), 'utf8').slice(-2000); } catch { return ''; }
}
