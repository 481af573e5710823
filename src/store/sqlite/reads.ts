import type { RunFilter, RunReader } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { type AttemptRow, type RunRow, runFromRow } from './rows.ts';
import { WITH_JOB_NAMES } from './job-names.ts';
import { runConditions } from './filter.ts';
import { streamRuns } from './stream.ts';
import { jobStats } from './stats.ts';

const ATTEMPT_META = 'run_id, n, status, exit_code, signal, started_at, ended_at, duration_ms, output_bytes, reason';

const NEWEST_FIRST = 'started_at DESC, id DESC';

/** The first window a listing over all jobs looks back through, before widening it. */
const FIRST_WINDOW_MS = 600_000;

/** The read side of runs in SQLite. */
export function sqliteRunReader(db: SqliteDatabase): RunReader {
  /** Attaches each run's attempts (one query for the whole page of runs). */
  const withAttempts = (rows: RunRow[], withOutput: boolean) => {
    if (rows.length === 0) return [];
    const columns = withOutput ? `${ATTEMPT_META}, output` : ATTEMPT_META;
    const attempts = db
      .prepare(`SELECT ${columns} FROM attempts WHERE run_id IN (SELECT value FROM json_each(?)) ORDER BY run_id, n`)
      .all(JSON.stringify(rows.map((r) => r.id))) as AttemptRow[];
    const byRun = new Map<string, AttemptRow[]>();
    for (const a of attempts) byRun.set(a.run_id, [...(byRun.get(a.run_id) ?? []), a]);
    return rows.map((row) => runFromRow(row, byRun.get(row.id) ?? []));
  };

  /** The runs matching a filter whose start is at or after `from` (when given), newest first. */
  const page = (filter: RunFilter, from: string | undefined): RunRow[] => {
    const { where, params: conditions } = runConditions(filter, from);
    const params = { ...conditions, limit: filter.limit ?? -1 };
    const chosen = `${filter.job !== undefined ? '' : WITH_JOB_NAMES}
      SELECT %COLUMNS% FROM runs WHERE ${where.join(' AND ')} ORDER BY ${NEWEST_FIRST} LIMIT @limit`;
    if (filter.limit === undefined) return db.prepare(chosen.replace('%COLUMNS%', '*')).all(params) as RunRow[];
    // Sorting whole rows would fetch every candidate from the table; the index holds the sort key and
    // the id, so the page is chosen there and only its rows are read.
    const ids = db.prepare(chosen.replace('%COLUMNS%', 'id')).pluck().all(params) as string[];
    return db.prepare(`SELECT * FROM runs WHERE id IN (SELECT value FROM json_each(?)) ORDER BY ${NEWEST_FIRST}`)
      .all(JSON.stringify(ids)) as RunRow[];
  };

  /**
   * A page over all jobs: sorting every run to keep the newest 50 would read them all, so it looks back
   * from the newest start through a window that grows sixteenfold until it holds enough matching runs
   * (or reaches the oldest run, or --since). Each try reads only the index entries inside its window.
   */
  const newestAcrossJobs = (filter: RunFilter & { limit: number }): RunRow[] => {
    const until = filter.until !== undefined ? 'AND started_at < @until' : '';
    const last = db.prepare(`${WITH_JOB_NAMES}
      SELECT max((SELECT max(started_at) FROM runs WHERE job = name ${until})) FROM job_names WHERE name IS NOT NULL`)
      .pluck().get(filter.until !== undefined ? { until: filter.until } : {}) as string | null;
    if (last === null) return [];
    let first: string | undefined;
    for (let span = FIRST_WINDOW_MS; ; span *= 16) {
      const windowStart = new Date(Date.parse(last) - span).toISOString();
      if (filter.since !== undefined && windowStart <= filter.since) return page(filter, filter.since);
      const rows = page(filter, windowStart);
      if (rows.length >= filter.limit) return rows;
      first ??= db.prepare(`${WITH_JOB_NAMES}
        SELECT min((SELECT min(started_at) FROM runs WHERE job = name)) FROM job_names WHERE name IS NOT NULL`).pluck().get() as string;
      if (windowStart <= first) return rows;
    }
  };

  return {
    async list(filter: RunFilter) {
      const limit = filter.limit;
      const rows = filter.job === undefined && limit !== undefined
        ? newestAcrossJobs({ ...filter, limit })
        : page(filter, filter.since);
      return withAttempts(rows, false);
    },
    async *each(filter: RunFilter) {
      yield* streamRuns(db, filter);
    },
    async findByPrefix(prefix: string, limit: number) {
      const lower = prefix.toLowerCase();
      const rows = db
        .prepare(`SELECT * FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT ?`)
        .all(lower, `${lower}\uffff`, limit) as RunRow[];
      return withAttempts(rows, true);
    },
    async jobNames() {
      return db.prepare(`${WITH_JOB_NAMES}
        SELECT name FROM job_names WHERE name IS NOT NULL UNION SELECT name FROM jobs ORDER BY 1`).pluck().all() as string[];
    },
    async stats(filter) {
      return jobStats(db, filter);
    },
  };
}
