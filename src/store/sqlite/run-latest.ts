import { WITH_JOB_NAMES } from './job-names.ts';

/**
 * Each job's latest run as `status` and `sweep` read it: the row of `SELECT ... FROM runs WHERE job = ?
 * ORDER BY started_at DESC LIMIT 1` (ties broken as that query breaks them, by walking runs_by_job
 * backwards), kept in a table of its own. Runs are keyed by random ids, so reading each job's latest run
 * from the runs table (its host is not in the covering index) touched a page at random per job.
 */
const LATEST_COLUMNS = 'job, id, status, started_at, duration_ms, host';

/** The latest run of the job `job` names (an expression), as today's status query picks it. */
const latestOf = (job: string): string => `SELECT ${LATEST_COLUMNS} FROM runs WHERE job = ${job} ORDER BY started_at DESC LIMIT 1`;

/** A job's row made right again: gone with its last run, else its latest run (one index seek and one row). */
const recompute = (job: string): string => `DELETE FROM run_latest WHERE job = ${job}; INSERT INTO run_latest ${latestOf(job)};`;

/**
 * The triggers that keep run_latest right, so that every writer (a run, the spool's intake, sweep marking a
 * run lost, prune, forget, the sqlite3 shell) keeps it without knowing of it. An insert only adds a
 * candidate; an update of a column the row holds recomputes the job (and the job it left, if any): a
 * heartbeat changes none of them and fires nothing; a delete recomputes only when it took the latest run.
 * A bulk load drops them while it loads and fills the table once at the end.
 */
export const RUN_LATEST_TRIGGERS = `
  CREATE TRIGGER run_latest_insert AFTER INSERT ON runs BEGIN
    INSERT OR REPLACE INTO run_latest ${latestOf('NEW.job')};
  END;
  CREATE TRIGGER run_latest_update AFTER UPDATE OF id, job, started_at, status, duration_ms, host ON runs BEGIN
    INSERT OR REPLACE INTO run_latest ${latestOf('NEW.job')};
  END;
  CREATE TRIGGER run_latest_move AFTER UPDATE OF job ON runs WHEN OLD.job IS NOT NEW.job BEGIN
    ${recompute('OLD.job')}
  END;
  CREATE TRIGGER run_latest_delete AFTER DELETE ON runs
    WHEN OLD.id IS (SELECT id FROM run_latest WHERE job = OLD.job) BEGIN
    ${recompute('OLD.job')}
  END;`;

/** Fills run_latest from runs: a loose index scan over the job names, one seek each (a thousand jobs: milliseconds). */
export const RUN_LATEST_FILL = `DELETE FROM run_latest;
  ${WITH_JOB_NAMES} INSERT INTO run_latest SELECT r.job, r.id, r.status, r.started_at, r.duration_ms, r.host
  FROM job_names CROSS JOIN runs AS r ON r.id = (SELECT id FROM runs WHERE job = name ORDER BY started_at DESC LIMIT 1)
  WHERE name IS NOT NULL;`;

/** Migration 23: the table, its triggers and its first filling. */
export const RUN_LATEST_MIGRATION = `
  CREATE TABLE run_latest (
    job TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    duration_ms INTEGER,
    host TEXT NOT NULL
  ) WITHOUT ROWID;
  ${RUN_LATEST_TRIGGERS}
  ${RUN_LATEST_FILL}`;
