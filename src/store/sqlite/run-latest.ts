import { STRIP_LETTERS, UNKNOWN_LETTER } from '../../shared/strip-letters.ts';
import { WITH_JOB_NAMES } from './job-names.ts';

/**
 * Each job's latest run as `status` and `sweep` read it: the row of `SELECT ... FROM runs WHERE job = ?
 * ORDER BY started_at DESC LIMIT 1` (ties broken as that query breaks them, by walking runs_by_job
 * backwards), kept in a table of its own. Runs are keyed by random ids, so reading each job's latest run
 * from the runs table (its host is not in the covering index) touched a page at random per job. With it,
 * the status strips: the job's RECENT_RUNS latest runs (stripSql's text), and recent_from, the start of the
 * oldest of them ('' when the job has fewer). A row last written before migration 27 holds its strip as JSON
 * [status, duration] pairs, newest first (its text starts with '['), until its job's next write.
 */
const LATEST_COLUMNS = 'job, id, status, started_at, duration_ms, host';

/** How many runs the strips keep: the widest strip status draws. */
export const RECENT_RUNS = 40;

/** A run's strip letter, in SQL (a BLOB, like any other status, is '?'). */
const LETTER_SQL = `CASE status ${Object.entries(STRIP_LETTERS).map(([s, l]) => `WHEN '${s}' THEN '${l}'`).join(' ')} ELSE '${UNKNOWN_LETTER}' END`;

/**
 * A strip as text, the form status reads without building an object per run: the letters of the `limit`
 * latest runs of the job `job` names (an expression; `where` may narrow them), oldest first, a space, and
 * their durations joined by commas ('' for none or a non-number); NULL for no runs. Oldest first is the
 * backward walk of runs_by_job turned around: ascending on every column of that index, ties included.
 */
export const stripSql = (job: string, limit: string | number, where = ''): string => `(SELECT group_concat(letter, '') || ' ' || group_concat(ms, ',')
  FROM (SELECT ${LETTER_SQL} AS letter, CASE WHEN typeof(duration_ms) IN ('integer', 'real') THEN duration_ms ELSE '' END AS ms
    FROM (SELECT status, duration_ms, started_at, id FROM runs AS r WHERE r.job = ${job}${where} ORDER BY r.started_at DESC LIMIT ${limit})
    ORDER BY started_at, status, duration_ms, id))`;

/** The strip of the job `job` names (an expression): its RECENT_RUNS latest runs. */
const recentOf = (job: string): string => stripSql(job, RECENT_RUNS);

/** The start of the oldest run in the strip; '' (before any stored text) when it holds all the job's runs. */
const recentFromOf = (job: string): string =>
  `coalesce((SELECT started_at FROM runs AS r WHERE r.job = ${job} ORDER BY r.started_at DESC LIMIT 1 OFFSET ${RECENT_RUNS - 1}), '')`;

/** The row of the job `job` names (an expression): its latest run as today's status query picks it, and its strip. */
const latestOf = (job: string): string =>
  `SELECT ${LATEST_COLUMNS}, ${recentOf(job)}, ${recentFromOf(job)} FROM runs WHERE job = ${job} ORDER BY started_at DESC LIMIT 1`;

/** A job's row made right again: gone with its last run, else its latest run and strip (a few index seeks and one row). */
const recompute = (job: string): string => `DELETE FROM run_latest WHERE job = ${job}; INSERT INTO run_latest ${latestOf(job)};`;

/**
 * The triggers that keep run_latest right, so that every writer (a run, the spool's intake, sweep marking a
 * run lost, prune, forget, the sqlite3 shell) keeps it without knowing of it. An insert only adds a
 * candidate; an update of a column the row holds recomputes the job (and the job it left, if any): a
 * heartbeat changes none of them and fires nothing; a delete recomputes only when it took the latest run
 * or one that may be in the strip (prune's old runs are not). A bulk load drops them while it loads and
 * fills the table once at the end.
 */
const RUN_LATEST_TRIGGERS = `
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
    WHEN (SELECT OLD.id = id OR OLD.started_at >= recent_from FROM run_latest WHERE job = OLD.job) BEGIN
    ${recompute('OLD.job')}
  END;`;

/**
 * Fills run_latest from runs: a loose index scan over the job names, one seek each (a thousand jobs:
 * milliseconds). The strips are left NULL, to be filled by each job's next write (status reads the runs
 * for a job without one): reading forty runs of every job would make the migration, on the run path, slower.
 */
export const RUN_LATEST_FILL = `DELETE FROM run_latest;
  ${WITH_JOB_NAMES} INSERT INTO run_latest (${LATEST_COLUMNS}) SELECT r.job, r.id, r.status, r.started_at, r.duration_ms, r.host
  FROM job_names CROSS JOIN runs AS r ON r.id = (SELECT id FROM runs WHERE job = name ORDER BY started_at DESC LIMIT 1)
  WHERE name IS NOT NULL;`;

/** Fills every job's strip (a bulk load, which is not on a run's path). */
export const RUN_LATEST_FILL_RECENT = `UPDATE run_latest SET recent = ${recentOf('run_latest.job')}, recent_from = ${recentFromOf('run_latest.job')};`;

/** Migration 23: the table, its triggers and its first filling. */
export const RUN_LATEST_MIGRATION = `
  CREATE TABLE run_latest (
    job TEXT PRIMARY KEY,
    id TEXT NOT NULL,
    status TEXT NOT NULL,
    started_at TEXT NOT NULL,
    duration_ms INTEGER,
    host TEXT NOT NULL,
    recent TEXT,
    recent_from TEXT
  ) WITHOUT ROWID;
  ${RUN_LATEST_TRIGGERS}
  ${RUN_LATEST_FILL}`;

/** After an INSERT OR REPLACE moved a run (see migration 25): the job it left made right. */
const RUN_LATEST_REPLACED_TRIGGER = `
  CREATE TRIGGER run_latest_replaced AFTER INSERT ON runs WHEN EXISTS (SELECT 1 FROM run_latest_left) BEGIN
    ${recompute('(SELECT job FROM run_latest_left)')}
    DELETE FROM run_latest_left;
  END;`;

/**
 * Migration 25: SQLite fires no delete trigger for the row an INSERT OR REPLACE removes, so a replace that
 * moves a run to another job (the sqlite3 shell, an import) left the job it left pointing at a run it no
 * longer has. The job is noted before the insert (the row is gone after it) and made right after it; the
 * note is cleared first, so an ignored insert's note cannot linger into the next one.
 */
export const RUN_LATEST_REPLACE_MIGRATION = `
  CREATE TABLE run_latest_left (job TEXT PRIMARY KEY) WITHOUT ROWID;
  CREATE TRIGGER run_latest_replace BEFORE INSERT ON runs BEGIN
    DELETE FROM run_latest_left;
    INSERT INTO run_latest_left SELECT job FROM runs WHERE id = NEW.id AND job IS NOT NEW.job;
  END;
  ${RUN_LATEST_REPLACED_TRIGGER}`;

/**
 * Migration 27: strips stored as stripSql's text, which status reads with a split where JSON pairs cost a
 * parse and an object per run (1,000 jobs: ~25 ms of a status). The triggers that write them are made
 * again; no row is rewritten here (a migration runs as a job starts): each keeps its JSON strip, which
 * status still reads, until its job's next write.
 */
export const RUN_LATEST_STRIP_MIGRATION = `
  DROP TRIGGER IF EXISTS run_latest_insert;
  DROP TRIGGER IF EXISTS run_latest_update;
  DROP TRIGGER IF EXISTS run_latest_move;
  DROP TRIGGER IF EXISTS run_latest_delete;
  DROP TRIGGER IF EXISTS run_latest_replaced;
  ${RUN_LATEST_TRIGGERS}
  ${RUN_LATEST_REPLACED_TRIGGER}`;
