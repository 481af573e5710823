import { CronguardError } from '../../shared/errors.ts';
import type { Sql } from './client.ts';

/** Text compared byte by byte, as SQLite does: ISO times and ids sort the same on both backends. */
const T = 'text COLLATE "C"';

/**
 * The schema on PostgreSQL, as numbered migrations (like SQLite's). The version applied is kept in
 * cronguard_schema; times are ISO-8601 text in UTC, as in SQLite, so both backends sort and compare alike.
 */
export const PG_MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE jobs (name ${T} PRIMARY KEY, schedule text, tz text, grace_ms bigint,
        first_seen_at ${T} NOT NULL, updated_at ${T} NOT NULL);
      CREATE TABLE runs (id ${T} PRIMARY KEY, job ${T} NOT NULL, status ${T} NOT NULL, exit_code integer, signal text,
        started_at ${T} NOT NULL, heartbeat_at ${T} NOT NULL, ended_at ${T}, duration_ms bigint, host ${T} NOT NULL,
        pid integer NOT NULL, pid_start text, pgid integer, command text NOT NULL, timeout_ms bigint,
        kill_after_ms bigint NOT NULL, heartbeat_ms bigint NOT NULL, reason text);
      CREATE INDEX runs_by_job ON runs (job, started_at, status, duration_ms);
      CREATE INDEX runs_by_start ON runs (started_at, id);
      CREATE INDEX runs_running ON runs (job) WHERE status = 'running';
      CREATE TABLE attempts (run_id ${T} NOT NULL REFERENCES runs (id) ON DELETE CASCADE, n integer NOT NULL,
        status ${T} NOT NULL, exit_code integer, signal text, started_at ${T} NOT NULL, ended_at ${T},
        duration_ms bigint, output_bytes bigint NOT NULL, reason text, output bytea, PRIMARY KEY (run_id, n));
      CREATE TABLE crontab_jobs (host ${T} NOT NULL, name ${T} NOT NULL, schedules text NOT NULL,
        first_seen_at ${T} NOT NULL, last_seen_at ${T} NOT NULL, PRIMARY KEY (host, name));
      CREATE TABLE problems (job ${T} NOT NULL, kind ${T} NOT NULL, since ${T} NOT NULL, run_id text,
        message text NOT NULL, opened_at ${T} NOT NULL, reported_at ${T}, resolved_at ${T}, PRIMARY KEY (job, kind));
      CREATE TABLE sweeps (id bigserial PRIMARY KEY, at ${T} NOT NULL, host ${T} NOT NULL, problems integer NOT NULL,
        reported integer NOT NULL, resolved integer NOT NULL, lost integer NOT NULL, warnings text NOT NULL,
        by_hand boolean NOT NULL DEFAULT false);
      CREATE TABLE outbox (id bigserial PRIMARY KEY, event_id text NOT NULL, event_type text NOT NULL, job text,
        channel_fp ${T} NOT NULL, payload text NOT NULL, created_at ${T} NOT NULL, attempts integer NOT NULL DEFAULT 0,
        next_at ${T} NOT NULL, last_error text, claim_token text, claim_until ${T}, delivered_at ${T}, dead_at ${T});
      CREATE INDEX outbox_due ON outbox (next_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
      CREATE INDEX outbox_channel ON outbox (channel_fp, id) WHERE delivered_at IS NULL AND dead_at IS NULL;
    `,
  },
  {
    // --once: one row per job and scheduled start; its primary key is the claim (SPEC §8). Listings by host.
    version: 2,
    sql: `
      CREATE TABLE once_claims (job ${T} NOT NULL, scheduled_at ${T} NOT NULL, run_id ${T} NOT NULL,
        host ${T} NOT NULL, claimed_at ${T} NOT NULL, PRIMARY KEY (job, scheduled_at));
      CREATE INDEX runs_by_host ON runs (host, started_at);
    `,
  },
  {
    // Per-channel news, as SQLite's version 21: what each channel was told of, seeded from the outbox. A
    // payload that is not JSON (planted) is skipped, never an upgrade that fails.
    version: 5,
    sql: `
      CREATE TABLE channel_problems (channel_fp ${T} NOT NULL, job ${T} NOT NULL, kind ${T} NOT NULL, since ${T} NOT NULL,
        run_id text, message text NOT NULL, heard_at ${T} NOT NULL, PRIMARY KEY (channel_fp, job, kind));
      CREATE FUNCTION pg_temp.cronguard_json(t text) RETURNS json LANGUAGE plpgsql IMMUTABLE
        AS $f$ BEGIN RETURN t::json; EXCEPTION WHEN others THEN RETURN NULL; END $f$;
      INSERT INTO channel_problems (channel_fp, job, kind, since, run_id, message, heard_at)
        SELECT DISTINCT ON (o.channel_fp, p.job, p.kind) o.channel_fp, p.job, p.kind, p.since, p.run_id, p.message, o.created_at
        FROM problems p JOIN outbox o ON o.event_type = 'problem' AND o.job = p.job AND o.channel_fp <> 'none'
        WHERE pg_temp.cronguard_json(o.payload)->'problem'->>'kind' = p.kind
          AND pg_temp.cronguard_json(o.payload)->'problem'->>'since' = p.since
        ORDER BY o.channel_fp, p.job, p.kind, o.created_at
        ON CONFLICT DO NOTHING;
      DROP FUNCTION pg_temp.cronguard_json(text);
    `,
  },
];

/** The schema version this cronguard writes. */
export const PG_SCHEMA_VERSION = Math.max(...PG_MIGRATIONS.map((m) => m.version));

/** The advisory lock migrations run under ('cron' in ASCII): one upgrader at a time, whatever the host. */
const MIGRATION_LOCK = 0x63726f6e;

/** The version the database is at; 0 for an empty one. */
async function versionOf(sql: Sql): Promise<number> {
  try {
    const [row] = await sql<Array<{ version: number }>>`SELECT max(version) AS version FROM cronguard_schema`;
    return row?.version ?? 0;
  } catch (error) {
    if ((error as { code?: string }).code === '42P01') return 0; // no such table: a new database
    throw error;
  }
}

/**
 * Brings the database to this version. The usual case costs one query; an upgrade runs in one
 * transaction under an advisory lock, re-reading the version once it holds the lock, so many hosts
 * (or many runs on one host) upgrading at once apply each migration exactly once.
 */
export async function migratePostgres(sql: Sql, display: string): Promise<void> {
  const seen = await versionOf(sql);
  if (seen === PG_SCHEMA_VERSION) return;
  if (seen > PG_SCHEMA_VERSION) throw newerSchema(display, seen);
  await sql.begin(async (tx) => {
    await tx`SELECT pg_advisory_xact_lock(${MIGRATION_LOCK})`;
    await tx`CREATE TABLE IF NOT EXISTS cronguard_schema (version integer NOT NULL)`;
    const [row] = await tx<Array<{ version: number | null }>>`SELECT max(version) AS version FROM cronguard_schema`;
    const current = row?.version ?? 0;
    if (current > PG_SCHEMA_VERSION) throw newerSchema(display, current);
    for (const migration of PG_MIGRATIONS) {
      if (migration.version > current) await tx.unsafe(migration.sql);
    }
    if (current < PG_SCHEMA_VERSION) {
      await tx`DELETE FROM cronguard_schema`;
      await tx`INSERT INTO cronguard_schema (version) VALUES (${PG_SCHEMA_VERSION})`;
    }
  });
}

function newerSchema(display: string, version: number): CronguardError {
  return new CronguardError(`${display}: database schema version ${version} is newer than this cronguard understands (${PG_SCHEMA_VERSION}); upgrade cronguard`);
}
