import type { AttemptRecord, RunRecord, RunStatus } from '../../shared/types.ts';
import type { RunFilter } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { runConditions } from './filter.ts';
import { WITH_JOB_NAMES } from './job-names.ts';
import { commandOf } from './rows.ts';

export const RUN = 'id, job, status, exit_code, signal, started_at, heartbeat_at, ended_at, duration_ms, host, pid, pid_start, pgid, command, timeout_ms, kill_after_ms, heartbeat_ms, reason';
const ATTEMPT = 'a.n, a.status, a.exit_code, a.signal, a.started_at, a.ended_at, a.duration_ms, a.output_bytes, a.reason';
type Cell = string | number | null;
const EXPORT_CACHE_KIB = 1024;
/** Where a joined row's attempt begins: after the run's 18 columns. */
const ATTEMPT_AT = 18;

/**
 * Every run a filter matches, newest first, one at a time with its attempts (no output): an export of a
 * million runs holds one run in memory, and SQLite's sorter spills to temporary files rather than RAM.
 * Over all jobs the table is read in key order (run id), so each run's attempts are found on the pages
 * just read; going through runs_by_job instead would fetch a random table page and a random attempts page
 * per run. SQLite's own name for the key of a WITHOUT ROWID table is how to ask for that order.
 */
export function* streamRuns(db: SqliteDatabase, filter: RunFilter): Generator<RunRecord> {
  const { runs, params } = exportedRuns(db, filter, RUN);
  const rows = db.prepare(`SELECT r.*, ${ATTEMPT} FROM ${runs} r LEFT JOIN attempts a ON a.run_id = r.id ORDER BY r.started_at DESC, r.id DESC, a.n`)
    .raw().iterate(params) as IterableIterator<Cell[]>;
  let run: RunRecord | null = null;
  for (const row of rows) {
    if (run === null || run.id !== row[0]) {
      if (run !== null) yield run;
      run = runOf(row);
    }
    if (row[ATTEMPT_AT] !== null) run.attempts.push(attemptOf(row));
  }
  if (run !== null) yield run;
}

/**
 * The runs an export of a filter reads, as a subquery of `columns` of runs, and its parameters; sets the
 * connection's small cache. Over all jobs the table is read in key order (run id), so each run's attempts
 * are found on the pages just read (see streamRuns).
 */
export function exportedRuns(db: SqliteDatabase, filter: RunFilter, columns: string): { runs: string; params: Record<string, unknown> } {
  const { where, params } = runConditions(filter, filter.since, false);
  // Each page is read once and the sorter spills to files beyond the cache: a small cache serves as well
  // and keeps the export's memory low (this connection reads for this one command).
  db.pragma(`cache_size = -${EXPORT_CACHE_KIB}`);
  const source = filter.job !== undefined ? 'runs' : 'runs INDEXED BY sqlite_autoindex_runs_1';
  // A limit chooses its runs through the index (newest first), as a listing does.
  const limited = filter.limit === undefined ? '' : `AND id IN (${filter.job !== undefined ? '' : WITH_JOB_NAMES}
    SELECT id FROM runs WHERE ${runConditions(filter, filter.since).where.join(' AND ')} ORDER BY started_at DESC, id DESC LIMIT @limit)`;
  return {
    runs: `(SELECT ${columns} FROM ${source} WHERE ${where.join(' AND ')} ${limited})`,
    params: filter.limit === undefined ? params : { ...params, limit: filter.limit },
  };
}

/** The run in a joined row (its first 18 cells). */
function runOf(c: Cell[]): RunRecord {
  return {
    id: c[0] as string, job: c[1] as string, status: c[2] as RunStatus, exitCode: c[3] as number | null,
    signal: c[4] as string | null, startedAt: c[5] as string, heartbeatAt: c[6] as string, endedAt: c[7] as string | null,
    durationMs: c[8] as number | null, host: c[9] as string, pid: c[10] as number, pidStart: c[11] as string | null,
    pgid: c[12] as number | null, command: commandOf(c[13] as string), timeoutMs: c[14] as number | null,
    killAfterMs: c[15] as number, heartbeatMs: c[16] as number, reason: c[17] as string | null, attempts: [],
  };
}

/** The attempt in a joined row's last cells. */
function attemptOf(c: Cell[]): AttemptRecord {
  const a = ATTEMPT_AT;
  return {
    n: c[a] as number, status: c[a + 1] as RunStatus, exitCode: c[a + 2] as number | null, signal: c[a + 3] as string | null,
    startedAt: c[a + 4] as string, endedAt: c[a + 5] as string | null, durationMs: c[a + 6] as number | null,
    outputBytes: c[a + 7] as number, reason: c[a + 8] as string | null,
  };
}
