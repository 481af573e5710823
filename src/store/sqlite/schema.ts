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
];

/** The schema version this cronguard writes. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));
