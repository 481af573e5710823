import { durationSummaryOfListed } from '../../shared/percentile.ts';
import type { SqliteDatabase } from './database.ts';
import { FINISHED_SQL, finishedSql, SEVERITY_SQL } from '../status-sql.ts';

/** Which runs a day summary holds, of a status column: since schema 26 every run but a running one (see RUN_DAYS_OTHERS_MIGRATION). */
export const keptSql = (column: string): string => `${column} <> 'running'`;

/** The triggers on runs that mark the (job, day) of each written run whose status is `counted` dirty. */
function dayTriggers(counted: (column: string) => string): string {
  return `
  CREATE TRIGGER run_days_insert AFTER INSERT ON runs WHEN ${counted('NEW.status')} BEGIN
    INSERT OR IGNORE INTO run_days_dirty VALUES (NEW.job, substr(NEW.started_at, 1, 10));
  END;
  -- INSERT OR REPLACE (by any writer of the file) deletes the row it replaces without firing delete triggers.
  CREATE TRIGGER run_days_replace BEFORE INSERT ON runs BEGIN
    INSERT OR IGNORE INTO run_days_dirty SELECT job, substr(started_at, 1, 10) FROM runs WHERE id = NEW.id AND ${counted('status')};
  END;
  CREATE TRIGGER run_days_update AFTER UPDATE OF job, started_at, status, duration_ms ON runs
    WHEN ${counted('OLD.status')} OR ${counted('NEW.status')} BEGIN
    INSERT OR IGNORE INTO run_days_dirty SELECT OLD.job, substr(OLD.started_at, 1, 10) WHERE ${counted('OLD.status')}
      UNION ALL SELECT NEW.job, substr(NEW.started_at, 1, 10) WHERE ${counted('NEW.status')};
  END;
  CREATE TRIGGER run_days_delete AFTER DELETE ON runs WHEN ${counted('OLD.status')} BEGIN
    INSERT OR IGNORE INTO run_days_dirty VALUES (OLD.job, substr(OLD.started_at, 1, 10));
  END;
`;
}

/**
 * Per-(job, UTC day) summaries of finished runs, so that stats over a month reads some thousands of
 * rows instead of a million index entries. A day is substr(started_at, 1, 10), whatever the text holds:
 * a malformed time lands in a "day" of its own and counts exactly where the direct query counts it.
 * Triggers on runs note each (job, day) a write touches in run_days_dirty, so every writer (the
 * recorder, the spool intake, sweep, prune, forget, a bulk load) keeps them right with no code of its
 * own; only a write that adds or removes a finished run (not a run's start, nor its heartbeats) costs
 * one small insert. A dirty day is recomputed from runs by whoever reads it until settleRunDays (sweep,
 * prune) stores it again. A file upgraded with runs in it is marked pending: its summaries are built by
 * the first settle, never in the migration (which runs as a job starts). The triggers hold the finished
 * statuses as they are now: a change to that list needs a migration that recreates them and marks the
 * summaries pending.
 */
export const RUN_DAYS_MIGRATION = `
  CREATE TABLE run_days (
    job TEXT NOT NULL,
    day TEXT NOT NULL,
    runs INTEGER NOT NULL,
    successes INTEGER NOT NULL,
    failed TEXT,
    durations TEXT NOT NULL, -- json_group_array(duration_ms) without its brackets: stats joins days with a comma
    PRIMARY KEY (day, job)
  ) WITHOUT ROWID;
  CREATE TABLE run_days_dirty (job TEXT NOT NULL, day TEXT NOT NULL, PRIMARY KEY (day, job)) WITHOUT ROWID;
  CREATE TABLE run_days_pending (one INTEGER PRIMARY KEY CHECK (one = 1));
  INSERT INTO run_days_pending SELECT 1 WHERE EXISTS (SELECT 1 FROM runs);
  ${dayTriggers(finishedSql)}`;

/**
 * Schema 26: a day summary holds every run of its day but the running ones, so that the HTML report's days
 * can be read from it too (their counts include skipped runs, and runs of a status cronguard does not write):
 * `runs`, `successes`, `failed` and `durations` stay those of the finished runs (what stats reads), `others`
 * counts the rest, `worst` is the highest SEVERITY rank among all of them, `first` their earliest start
 * (a report day from midnight on holds them all when it is not before it) and `summary` the finished
 * runs' [p50, p95, max] as cronguard ranks `durations` (the report parses three numbers a day, not all).
 * Running runs stay out, so a run's start still writes no dirty row; readers take them from the
 * runs_running index. The triggers are made anew to mark such days too, and the summaries pending, to be
 * built again by the next settle.
 */
export const RUN_DAYS_OTHERS_MIGRATION = `
  DROP TRIGGER run_days_insert;
  DROP TRIGGER run_days_replace;
  DROP TRIGGER run_days_update;
  DROP TRIGGER run_days_delete;
  ALTER TABLE run_days ADD COLUMN others INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE run_days ADD COLUMN worst INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE run_days ADD COLUMN first TEXT;
  ALTER TABLE run_days ADD COLUMN summary TEXT;
  INSERT OR IGNORE INTO run_days_pending SELECT 1 WHERE EXISTS (SELECT 1 FROM runs);
  ${dayTriggers(keptSql)}`;

/**
 * A day of ten ASCII characters (digits and dashes): its runs are exactly one range of the index, from the
 * day to the day with its last character raised by one (a text in that range shares the day's first nine
 * characters, so its tenth is the day's tenth). A BLOB sorts after every text: never in the range.
 */
const plainDay = (day: string) => `(typeof(${day}) = 'text' AND ${day} GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]')`;

/**
 * The condition that run r is a run of job k.job started on day k.day whose status is `which` (of the
 * column r.status), in two forms (OR-ed, the planner would read every run of the job): a plain day reads
 * its range of the index; any other (a malformed time's "day", rare) compares every run of the job.
 */
const OF_DAY = [
  (k: string, which: string) => `r.job = ${k}.job AND r.started_at >= ${k}.day AND r.started_at < substr(${k}.day, 1, 9) || char(unicode(substr(${k}.day, 10)) + 1)
    AND ${plainDay(`${k}.day`)} AND ${which}`,
  (k: string, which: string) => `r.job = ${k}.job AND substr(r.started_at, 1, 10) IS ${k}.day AND NOT ${plainDay(`${k}.day`)} AND ${which}`,
];

/** The runs (job, day, status, duration_ms, started_at) of the dirty days that `keys` (a condition on k) picks: the finished ones, or those of `which`. */
export function dirtyRuns(keys: string, which = finishedSql('r.status')): string {
  return OF_DAY.map((ofDay) => `SELECT k.job AS job, k.day AS day, r.status AS status, r.duration_ms AS duration_ms, r.started_at AS started_at
    FROM run_days_dirty k CROSS JOIN runs r ON ${ofDay('k', which)} WHERE ${keys}`).join(' UNION ALL ');
}

/** Per group of rows (status, duration_ms): the figures stats shows, `durations` the JSON array of `listed` without its brackets. */
export const dayFigures = (listed = 'duration_ms') => `count(*) AS runs, count(*) FILTER (WHERE status = 'success') AS successes,
  group_concat(status) FILTER (WHERE status <> 'success') AS failed,
  substr(json_group_array(${listed}), 2, length(json_group_array(${listed})) - 2) AS durations`;

/**
 * The columns of a stored day from its kept runs (status, duration_ms): dayFigures of the finished ones (a
 * duration JSON cannot hold as null: such a day is never stored), and of all of them `others` and `worst`.
 */
const STORED_FIGURES = `count(*) FILTER (WHERE ${FINISHED_SQL}) AS runs, count(*) FILTER (WHERE status = 'success') AS successes,
  group_concat(status) FILTER (WHERE status <> 'success' AND ${FINISHED_SQL}) AS failed,
  substr(json_group_array(iif(typeof(duration_ms) = 'blob', NULL, duration_ms)) FILTER (WHERE ${FINISHED_SQL}), 2,
    length(json_group_array(iif(typeof(duration_ms) = 'blob', NULL, duration_ms)) FILTER (WHERE ${FINISHED_SQL})) - 2) AS durations,
  count(*) FILTER (WHERE NOT ${FINISHED_SQL}) AS others, max(${SEVERITY_SQL}) AS worst, min(started_at) AS first`;

/** How many dirty days one settling transaction takes: short, so a job starting meanwhile hardly waits. */
const BATCH = 500;

/** Dirty days after the key (@fromDay, @fromJob) (all when it is null), up to (@toDay, @toJob) (all when null), in key order. */
const picked = (k: string, upTo = true) => `(@fromJob IS NULL OR (${k}.day, ${k}.job) > (@fromDay, @fromJob))
  ${upTo ? `AND (@toJob IS NULL OR (${k}.day, ${k}.job) <= (@toDay, @toJob))` : ''}`;

/** Whether the summaries are still to be built (an upgraded file no settle has reached yet). */
export function runDaysPending(db: SqliteDatabase): boolean {
  return db.prepare('SELECT EXISTS (SELECT 1 FROM run_days_pending)').pluck().get() === 1;
}

/** Marks the summaries to be built again from all runs by the next settle (a bulk load writes runs without the triggers). */
export function markRunDaysPending(db: SqliteDatabase): void {
  db.exec('INSERT OR IGNORE INTO run_days_pending VALUES (1)');
}

/**
 * Marks every day of every run dirty, a job per transaction (a write lock held for one job's runs, never
 * for a million), then clears pending. Stats reads runs directly until then; writes meanwhile mark their
 * days through the triggers as always.
 */
function markAllDirty(db: SqliteDatabase): void {
  const nextJob = db.prepare('SELECT min(job) FROM runs WHERE job > ?').pluck();
  const markJob = db.prepare('INSERT OR IGNORE INTO run_days_dirty SELECT job, substr(started_at, 1, 10) FROM runs WHERE job = ?');
  const mark = db.transaction((after: unknown) => {
    // Another settle may have finished meanwhile: its summaries stand.
    if (!runDaysPending(db)) return null;
    if (after === null) db.exec('DELETE FROM run_days');
    const job = after === null ? db.prepare('SELECT min(job) FROM runs').pluck().get() : nextJob.get(after);
    if (job !== null) markJob.run(job);
    else db.exec('DELETE FROM run_days_pending');
    return job;
  });
  for (let job: unknown = null; ;) if ((job = mark.immediate(job)) === null) return;
}

/**
 * Brings run_days up to date: a pending file first has every day of its runs marked dirty; then the dirty
 * days are stored again, a batch per transaction. A day holding a duration that JSON cannot hold (a BLOB,
 * which makes stats fail either way) stays dirty, so stats meets it as the direct query would.
 */
export function settleRunDays(db: SqliteDatabase): void {
  if (runDaysPending(db)) markAllDirty(db);
  // The report's percentiles of a day, ranked by the same code as every other reader ranks them.
  db.function('cronguard_duration_summary', { deterministic: true }, (durations: unknown) => {
    const { p50Ms, p95Ms, maxMs } = durationSummaryOfListed(JSON.parse(`[${String(durations)}]`) as unknown[]);
    return JSON.stringify([p50Ms, p95Ms, maxMs]);
  });
  const lastKey = db.prepare(`SELECT job, day FROM run_days_dirty k WHERE ${picked('k', false)}
    ORDER BY day, job LIMIT 1 OFFSET ${BATCH - 1}`);
  const statements = [
    `DELETE FROM run_days AS d WHERE EXISTS (SELECT 1 FROM run_days_dirty k WHERE k.job = d.job AND k.day = d.day AND ${picked('k')})`,
    `INSERT INTO run_days (job, day, runs, successes, failed, durations, others, worst, first, summary)
      SELECT *, cronguard_duration_summary(durations) FROM (SELECT job, day, ${STORED_FIGURES}
        FROM (${dirtyRuns(picked('k'), keptSql('r.status'))}) GROUP BY job, day
        HAVING count(*) FILTER (WHERE typeof(duration_ms) = 'blob' AND ${FINISHED_SQL}) = 0)`,
    `DELETE FROM run_days_dirty AS k WHERE ${picked('k')} AND (EXISTS (SELECT 1 FROM run_days d WHERE d.job = k.job AND d.day = k.day)
      OR ${OF_DAY.map((ofDay) => `NOT EXISTS (SELECT 1 FROM runs r WHERE ${ofDay('k', keptSql('r.status'))})`).join(' AND ')})`,
  ].map((sql) => db.prepare(sql));
  const batch = db.transaction((from: { fromJob: unknown; fromDay: unknown }) => {
    const to = lastKey.get(from) as { job: unknown; day: unknown } | undefined;
    const params = { ...from, toJob: to?.job ?? null, toDay: to?.day ?? null };
    for (const statement of statements) statement.run(params);
    return to;
  });
  for (let from: { fromJob: unknown; fromDay: unknown } = { fromJob: null, fromDay: null }; ;) {
    const to = batch.immediate(from);
    if (to === undefined) return;
    from = { fromJob: to.job, fromDay: to.day };
  }
}
