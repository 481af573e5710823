import type { RunFilter, RunReader } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { type AttemptRow, type RunRow, runFromRow } from './rows.ts';

const ATTEMPT_META = 'run_id, n, status, exit_code, signal, started_at, ended_at, duration_ms, output_bytes, reason';

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

  return {
    async list(filter: RunFilter) {
      const where: string[] = [];
      const params: Record<string, unknown> = {};
      if (filter.job !== undefined) { where.push('job = @job'); params['job'] = filter.job; }
      if (filter.host !== undefined) { where.push('host = @host'); params['host'] = filter.host; }
      if (filter.since !== undefined) { where.push('started_at >= @since'); params['since'] = filter.since; }
      if (filter.until !== undefined) { where.push('started_at < @until'); params['until'] = filter.until; }
      if (filter.statuses?.length) {
        where.push('status IN (SELECT value FROM json_each(@statuses))');
        params['statuses'] = JSON.stringify(filter.statuses);
      }
      params['limit'] = filter.limit ?? -1;
      const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY started_at DESC, id DESC LIMIT @limit`;
      return withAttempts(db.prepare(sql).all(params) as RunRow[], false);
    },
    async findByPrefix(prefix: string, limit: number) {
      const rows = db
        .prepare(`SELECT * FROM runs WHERE id >= ? AND id < ? ORDER BY id LIMIT ?`)
        .all(prefix, `${prefix}\uffff`, limit) as RunRow[];
      return withAttempts(rows, true);
    },
  };
}
