import type { RunFilter, RunReader } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { type AttemptRow, type RunRow, runFromRow } from './rows.ts';
import { WITH_JOB_NAMES } from './job-names.ts';
import { runConditions } from './filter.ts';
import { streamRuns } from './stream.ts';
import { exportRunsJson } from './export.ts';
import { exportRunsCsv } from './export-csv.ts';
import { jobStats } from './stats.ts';

const ATTEMPT_META = 'run_id, n, status, exit_code, signal, started_at, ended_at, duration_ms, output_bytes, reason';

const NEWEST_FIRST = 'started_at DESC, id DESC';

/** The first window a listing over all jobs looks back through, before widening it. */
const FIRST_WINDOW_MS = 600_000;
/** Windows stop growing at about three thousand years. */
const MAX_WINDOW_MS = 1e14;

/**
 * A generator as an async iterable without an async generator: `for await` then takes one promise a run
 * instead of an async generator's several (a million runs spent most of a second in those steps).
 */
function asyncOf<T>(items: Generator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => ({ next: async () => items.next(), return: async () => items.return(undefined) }) };
}

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

  /**
   * The runs matching a filter whose start is at or after `from` (when given), newest first; over all jobs,
   * or over `jobs` when given (the only jobs that can have runs there).
   */
  const page = (filter: RunFilter, from: string | undefined, jobs?: string[]): RunRow[] => {
    const { where, params: conditions } = runConditions(filter, from, jobs === undefined);
    if (jobs !== undefined && filter.job === undefined) where[0] = 'job IN (SELECT value FROM json_each(@jobs))';
    const params = { ...conditions, limit: filter.limit ?? -1, ...(jobs !== undefined && filter.job === undefined ? { jobs: JSON.stringify(jobs) } : {}) };
    const chosen = `${filter.job !== undefined || jobs !== undefined ? '' : WITH_JOB_NAMES}
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
   * (or reaches the oldest run, or --since). Every job's latest start is read once; each try then reads
   * only the index entries inside its window, of only the jobs whose latest start is inside it (a short
   * window holds a few of a thousand jobs), where listing every job again would seek each one's range.
   */
  const newestAcrossJobs = (filter: RunFilter & { limit: number }): RunRow[] => {
    const until = filter.until !== undefined ? 'AND started_at < @until' : '';
    const jobs = (db.prepare(`${WITH_JOB_NAMES}
      SELECT name, (SELECT max(started_at) FROM runs WHERE job = name ${until}) FROM job_names WHERE name IS NOT NULL`)
      .raw().all(filter.until !== undefined ? { until: filter.until } : {}) as Array<[string, string | null]>)
      .filter((job): job is [string, string] => job[1] !== null);
    if (jobs.length === 0) return [];
    const last = jobs.reduce((newest, [, latest]) => (latest > newest ? latest : newest), '');
    let first: string | undefined;
    const startingFrom = (from: string) => jobs.filter(([, latest]) => latest >= from).map(([name]) => name);
    // A latest start that is not a time (a damaged row) cannot anchor a window: the whole listing is sorted.
    const lastMs = Date.parse(last);
    if (!Number.isFinite(lastMs)) return page(filter, filter.since);
    for (let span = FIRST_WINDOW_MS; span < MAX_WINDOW_MS; span *= 16) {
      const windowStart = new Date(lastMs - span).toISOString();
      if (filter.since !== undefined && windowStart <= filter.since) return page(filter, filter.since, startingFrom(filter.since));
      const rows = page(filter, windowStart, startingFrom(windowStart));
      if (rows.length >= filter.limit) return rows;
      first ??= db.prepare('SELECT min((SELECT min(started_at) FROM runs WHERE job = value)) FROM json_each(?)')
        .pluck().get(JSON.stringify(jobs.map(([name]) => name))) as string;
      if (windowStart <= first) return rows;
    }
    return page(filter, filter.since); // an earliest start that is not a time: no window reaches it
  };

  return {
    async list(filter: RunFilter) {
      const limit = filter.limit;
      const rows = filter.job === undefined && limit !== undefined
        ? newestAcrossJobs({ ...filter, limit })
        : page(filter, filter.since);
      return withAttempts(rows, false);
    },
    each(filter: RunFilter) {
      return asyncOf(streamRuns(db, filter));
    },
    eachJson(filter: RunFilter) {
      return asyncOf(exportRunsJson(db, filter));
    },
    eachCsv(filter: RunFilter) {
      return asyncOf(exportRunsCsv(db, filter));
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
