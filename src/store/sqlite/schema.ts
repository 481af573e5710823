import { RUN_DAYS_MIGRATION, RUN_DAYS_OTHERS_MIGRATION } from './run-days.ts';
import { RUN_LATEST_MIGRATION, RUN_LATEST_REPLACE_MIGRATION, RUN_LATEST_STRIP_MIGRATION } from './run-latest.ts';

/**
 * The schema, as numbered migrations. A database records the last one applied in PRAGMA user_version;
 * numbers may leave gaps, so independent features can claim their own.
 */
export const MIGRATIONS: ReadonlyArray<{ version: number; sql: string }> = [
  {
    version: 1,
    sql: `
      CREATE TABLE jobs (
        name TEXT PRIMARY KEY,
        schedule TEXT,
        tz TEXT,
        grace_ms INTEGER,
        first_seen_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        job TEXT NOT NULL,
        status TEXT NOT NULL,
        exit_code INTEGER,
        signal TEXT,
        started_at TEXT NOT NULL,
        heartbeat_at TEXT NOT NULL,
        ended_at TEXT,
        duration_ms INTEGER,
        host TEXT NOT NULL,
        pid INTEGER NOT NULL,
        pid_start TEXT,
        pgid INTEGER,
        command TEXT NOT NULL,
        timeout_ms INTEGER,
        kill_after_ms INTEGER NOT NULL,
        heartbeat_ms INTEGER NOT NULL,
        reason TEXT
      ) WITHOUT ROWID;
      CREATE INDEX runs_by_job ON runs (job, started_at);
      CREATE INDEX runs_by_start ON runs (started_at);
      CREATE INDEX runs_running ON runs (job) WHERE status = 'running';
      CREATE TABLE attempts (
        run_id TEXT NOT NULL,
        n INTEGER NOT NULL,
        status TEXT NOT NULL,
        exit_code INTEGER,
        signal TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        duration_ms INTEGER,
        output_bytes INTEGER NOT NULL,
        reason TEXT,
        output BLOB,
        UNIQUE (run_id, n)
      );
    `,
  },
  {
    // Sweep: crontab jobs with when they were first seen, the problems currently open, and a log of
    // sweeps (watching the watcher). Per-job lookups use runs_by_job, so no index on runs is added.
    version: 2,
    sql: `
      CREATE TABLE crontab_jobs (
        name TEXT PRIMARY KEY,
        schedules TEXT NOT NULL,
        first_seen_at TEXT NOT NULL,
        last_seen_at TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE problems (
        job TEXT NOT NULL,
        kind TEXT NOT NULL,
        since TEXT NOT NULL,
        run_id TEXT,
        message TEXT NOT NULL,
        opened_at TEXT NOT NULL,
        PRIMARY KEY (job, kind)
      ) WITHOUT ROWID;
      CREATE TABLE sweeps (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        problems INTEGER NOT NULL,
        reported INTEGER NOT NULL,
        resolved INTEGER NOT NULL,
        lost INTEGER NOT NULL,
        warnings TEXT NOT NULL
      );
    `,
  },
  {
    // Forensics at a million runs, in fewer bytes a run. One index per job, covering what stats and
    // history filter on, serves every read: listings merge the jobs' ranges (sqlite/reads.ts), so the
    // index on started_at alone goes. Attempts are keyed by (run_id, n) in the table itself rather than
    // in a separate UNIQUE index: one B-tree instead of two. Their output column stays last, so reading
    // an attempt's other columns never touches the pages holding its output.
    version: 3,
    sql: `
      DROP INDEX IF EXISTS runs_by_start;
      DROP INDEX IF EXISTS runs_by_job;
      CREATE INDEX runs_by_job ON runs (job, started_at, status, duration_ms);
      CREATE TABLE attempts_keyed (
        run_id TEXT NOT NULL,
        n INTEGER NOT NULL,
        status TEXT NOT NULL,
        exit_code INTEGER,
        signal TEXT,
        started_at TEXT NOT NULL,
        ended_at TEXT,
        duration_ms INTEGER,
        output_bytes INTEGER NOT NULL,
        reason TEXT,
        output BLOB,
        PRIMARY KEY (run_id, n)
      ) WITHOUT ROWID;
      INSERT INTO attempts_keyed SELECT run_id, n, status, exit_code, signal, started_at, ended_at, duration_ms,
        output_bytes, reason, output FROM attempts;
      DROP TABLE attempts;
      ALTER TABLE attempts_keyed RENAME TO attempts;
    `,
  },
  {
    // Alerts: every notification is queued here before it is delivered (offline-first, exactly once).
    // Rows of one channel are delivered in id order; a row is claimed (token + expiry) by the process
    // delivering it, so two cronguards never deliver the same row at once.
    version: 4,
    sql: `
      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL,
        event_type TEXT NOT NULL,
        job TEXT,
        channel TEXT NOT NULL,
        payload TEXT NOT NULL,
        created_at TEXT NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_at TEXT NOT NULL,
        last_error TEXT,
        claim_token TEXT,
        claim_until TEXT,
        delivered_at TEXT,
        dead_at TEXT
      );
      CREATE INDEX outbox_due ON outbox (next_at) WHERE delivered_at IS NULL AND dead_at IS NULL;
      CREATE INDEX outbox_channel ON outbox (channel, id) WHERE delivered_at IS NULL AND dead_at IS NULL;
    `,
  },
  {
    // Trust (SPEC §9): a row no longer says where to deliver it, only which channel it is for (a
    // fingerprint); a cronguard given that channel delivers it. Rows of version 4 are migrated to the
    // fingerprint of the channel they stored, so a run given that channel still delivers them; a row whose
    // channel is not one cronguard wrote is given up with a note, never delivered. The stored command or
    // URL itself is gone afterwards. cronguard_channel_fingerprint is registered by migrate().
    version: 10,
    sql: `
      UPDATE outbox SET dead_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now'),
        last_error = 'given up on upgrade: its stored channel is not one cronguard writes (SPEC 9); never delivered'
        WHERE cronguard_channel_fingerprint(channel) IS NULL AND delivered_at IS NULL AND dead_at IS NULL;
      UPDATE outbox SET channel = coalesce(cronguard_channel_fingerprint(channel), 'none'), claim_token = NULL, claim_until = NULL;
      DROP INDEX outbox_channel;
      ALTER TABLE outbox RENAME COLUMN channel TO channel_fp;
      CREATE INDEX outbox_channel ON outbox (channel_fp, id) WHERE delivered_at IS NULL AND dead_at IS NULL;
    `,
  },
  {
    // Sweep's output before its state: a problem is news until a sweep has printed it (reported_at), and a
    // resolved one stays until its resolution is printed (resolved_at), so a sweep that dies in between
    // leaves the news to the next. Problems open before this were printed by the sweep that opened them.
    version: 17,
    sql: `
      ALTER TABLE problems ADD COLUMN reported_at TEXT;
      ALTER TABLE problems ADD COLUMN resolved_at TEXT;
      UPDATE problems SET reported_at = opened_at;
      ALTER TABLE sweeps ADD COLUMN by_hand INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    // --once: one row per job and scheduled start; its primary key is the claim (SPEC §8): several
    // crontab lines of one host (or containers sharing the file) run the start at most once.
    version: 18,
    sql: `
      CREATE TABLE once_claims (
        job TEXT NOT NULL,
        scheduled_at TEXT NOT NULL,
        run_id TEXT NOT NULL,
        host TEXT NOT NULL,
        claimed_at TEXT NOT NULL,
        PRIMARY KEY (job, scheduled_at)
      ) WITHOUT ROWID;
    `,
  },
  {
    // Per-channel news (SPEC §4): each channel hears of each problem once when it appears and once when it
    // is resolved, whichever sweep printed it. A row: this channel (a fingerprint, never where to send) was
    // told of this appearance (since) of the problem, and not yet of its resolution. Seeded from the
    // outbox, so channels do not hear again, on upgrade, of problems they were already told of.
    version: 21,
    sql: `
      CREATE TABLE channel_problems (
        channel_fp TEXT NOT NULL,
        job TEXT NOT NULL,
        kind TEXT NOT NULL,
        since TEXT NOT NULL,
        run_id TEXT,
        message TEXT NOT NULL,
        heard_at TEXT NOT NULL,
        PRIMARY KEY (channel_fp, job, kind)
      ) WITHOUT ROWID;
      INSERT OR IGNORE INTO channel_problems (channel_fp, job, kind, since, run_id, message, heard_at)
        SELECT o.channel_fp, p.job, p.kind, p.since, p.run_id, p.message, min(o.created_at)
        FROM problems p JOIN outbox o ON o.event_type = 'problem' AND o.job = p.job AND o.channel_fp <> 'none'
          AND (CASE WHEN json_valid(o.payload) THEN json_extract(o.payload, '$.problem.kind') END) = p.kind
          AND (CASE WHEN json_valid(o.payload) THEN json_extract(o.payload, '$.problem.since') END) = p.since
        GROUP BY o.channel_fp, p.job, p.kind;
    `,
  },
  {
    // Each job's latest run in a table kept by triggers (sqlite/run-latest.ts): status and sweep read a
    // thousand jobs' latest runs from it instead of a random page of runs each. Filled here by one index
    // seek per job. (22 was kept for another feature, which landed after this one: it is 24, as a file
    // already at 23 would skip a 22.)
    version: 23,
    sql: RUN_LATEST_MIGRATION,
  },
  {
    // Stats reads per-(job, UTC day) summaries kept by triggers and settled by sweep (see run-days.ts);
    // a file with runs is only marked pending here, its summaries built by the first sweep.
    version: 24,
    sql: RUN_DAYS_MIGRATION,
  },
  {
    // run_latest right after an INSERT OR REPLACE moves a run to another job (see run-latest.ts).
    version: 25,
    sql: RUN_LATEST_REPLACE_MIGRATION,
  },
  {
    // The day summaries hold skipped runs too (and each day's worst outcome), so that the HTML report reads
    // its days from them as stats does; marked pending, rebuilt by the next sweep (see run-days.ts). (Made
    // as 25 beside another feature's 25, which landed first: a file already at 25 would skip a second 25.)
    version: 26,
    sql: RUN_DAYS_OTHERS_MIGRATION,
  },
  {
    // Strips as letters and durations rather than JSON pairs (see run-latest.ts): only the triggers change.
    // (Made as 26 beside the day summaries' 26, which landed first.)
    version: 27,
    sql: RUN_LATEST_STRIP_MIGRATION,
  },
];

/** The schema version this cronguard writes. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
