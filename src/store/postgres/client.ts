import postgres from 'postgres';
import { setTimeout as sleep } from 'node:timers/promises';
import type { PostgresSettings } from './url.ts';

export type Sql = postgres.Sql<Record<string, never>>;
export type Tx = postgres.TransactionSql<Record<string, never>>;

/**
 * How long a call keeps retrying a server that is full (`too many connections`) or starting, before it
 * gives up: a reader (a person waiting) briefly; a writer (a run's record, a sweep) politely longer, as a
 * run's record is written beside its command (the job's clock never waits for it) and a record given up on
 * is only spooled. Connecting itself stays bounded by connect_timeout: an unreachable server is not retried.
 */
const FULL_SERVER_BUDGET_MS = { reader: 5000, writer: 30_000 } as const;

/** How long an idle connection stays open: a long job's heartbeats then hold no connection in between. */
const IDLE_CLOSE_S = 2;

/** Server errors that mean "not now" rather than "no": the server is full or just starting. */
const RETRYABLE = new Set(['53300', '57P03']);

/** One process's connection to the server: at most one at a time, opened on demand, closed when idle. */
export interface PgClient {
  readonly sql: Sql;
  /**
   * Runs a call, retrying with backoff while the server is full, for at most FULL_SERVER_BUDGET_MS (of the
   * client's `patience`: a writer's by default when it has a call limit); each try is bounded by that limit
   * unless `bounded` is false.
   */
  call<T>(work: (sql: Sql) => Promise<T>, bounded?: boolean): Promise<T>;
  /**
   * Takes a session advisory lock on a connection of its own that never closes for idling: the calls'
   * connection closes after IDLE_CLOSE_S, and the lock would go with it. Resolves to its release.
   */
  holdLock(key: number): Promise<() => Promise<void>>;
  end(): Promise<void>;
}

/** The client of one target: calls retried while the server is full, and advisory locks held apart. */
export function clientOf(
  target: PostgresSettings, callLimitMs: number | null, patience: keyof typeof FULL_SERVER_BUDGET_MS = callLimitMs === null ? 'reader' : 'writer',
): PgClient {
  const sql = connect(target, IDLE_CLOSE_S);
  const lockSessions = new Set<Sql>();
  const call = async <T>(work: (sql: Sql) => Promise<T>, limited = true): Promise<T> => {
    const deadline = Date.now() + FULL_SERVER_BUDGET_MS[patience];
    for (let attempt = 0; ; attempt++) {
      try {
        return await (callLimitMs === null || !limited ? work(sql) : bounded(work(sql), callLimitMs));
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        const wait = Math.min(1000, 25 * 2 ** attempt) * (0.5 + Math.random() / 2);
        if (!RETRYABLE.has(code) || Date.now() + wait > deadline) throw error;
        await sleep(wait);
      }
    }
  };
  const endSession = (session: Sql) => {
    lockSessions.delete(session);
    return session.end({ timeout: 1 });
  };
  return {
    sql,
    call,
    async holdLock(key) {
      const session = connect(target, null);
      lockSessions.add(session);
      try {
        await call(() => session`SELECT pg_advisory_lock(${key})`);
      } catch (error) {
        await endSession(session).catch(() => {});
        throw error;
      }
      // Ending the session releases the lock too: an unlock that fails leaves nothing held.
      return async () => {
        try {
          await call(() => session`SELECT pg_advisory_unlock(${key})`);
        } finally {
          await endSession(session);
        }
      };
    },
    end: async () => {
      await Promise.all([...lockSessions].map((session) => endSession(session).catch(() => {})));
      await sql.end({ timeout: 1 });
    },
  };
}

/**
 * A postgres.js pool of one connection to the target, closed after `idleS` seconds idle (null: never):
 * int8 and counts as numbers, no notices on stdout.
 */
function connect(target: PostgresSettings, idleS: number | null): Sql {
  return postgres({
    host: target.host,
    port: target.port,
    database: target.database,
    username: target.user,
    ...(target.password !== null ? { password: target.password } : {}),
    ssl: sslOption(target.sslmode),
    max: 1,
    ...(idleS !== null ? { idle_timeout: idleS } : {}),
    connect_timeout: target.connectTimeoutS,
    // One round trip fewer per connection: cronguard passes no arrays (lists travel as JSON).
    fetch_types: false,
    onnotice: () => {},
    connection: { application_name: 'cronguard' },
    types: {
      bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) },
    },
  }) as unknown as Sql;
}

/**
 * A call that has not answered in time fails (the connection is dropped by postgres.js later): a server
 * that vanished behind a dead network link must not hold a finished job's wrapper for ever.
 */
function bounded<T>(work: Promise<T>, limitMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the server did not answer within ${limitMs / 1000}s`)), limitMs);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** libpq's sslmode in postgres.js terms. */
function sslOption(mode: PostgresSettings['sslmode']): boolean | 'require' | 'allow' | 'prefer' | 'verify-full' | object {
  switch (mode) {
    case 'disable': return false;
    // Chain checked, host name not: what libpq's verify-ca means.
    case 'verify-ca': return { rejectUnauthorized: true, checkServerIdentity: () => undefined };
    default: return mode;
  }
}
