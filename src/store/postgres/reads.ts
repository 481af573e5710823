import type { JobStats, RunFilter, RunReader } from '../store.ts';
import type { RunRecord } from '../../shared/types.ts';
import { FAILURE_STATUSES } from '../../shared/types.ts';
import { type AttemptRow, type RunRow, runFromRow } from '../sqlite/rows.ts';
import type { PgClient, Sql } from './client.ts';

const ATTEMPT_META = 'run_id, n, status, exit_code, signal, started_at, ended_at, duration_ms, output_bytes, reason';

/** Every job name in runs by a loose index scan, one index seek each (PostgreSQL has no skip scan). */
export const JOB_NAMES = `WITH RECURSIVE v(x) AS (SELECT min(job) FROM runs
  UNION ALL SELECT (SELECT min(job) FROM runs WHERE job > v.x) FROM v WHERE v.x IS NOT NULL)
  SELECT x FROM v WHERE x IS NOT NULL`;

/** The nearest-rank percentile of a sorted array, in integer arithmetic as shared/percentile.ts does it. */
export const rank = (p: number) => `d[greatest(1, (${p} * cardinality(d) + 99) / 100)]`;

/** How many runs one page of a streamed listing reads. */
const EACH_PAGE = 1000;

/** The runs a filter matches, newest first, older than `after` (a keyset cursor) when given. */
function page(sql: Sql, filter: RunFilter, after: Pick<RunRow, 'id' | 'started_at'> | null, limit: number | undefined) {
  return sql<RunRow[]>`SELECT * FROM runs WHERE true
    ${filter.job !== undefined ? sql`AND job = ${filter.job}` : sql``}
    ${filter.since !== undefined ? sql`AND started_at >= ${filter.since}` : sql``}
    ${filter.until !== undefined ? sql`AND started_at < ${filter.until}` : sql``}
    ${filter.host !== undefined ? sql`AND host = ${filter.host}` : sql``}
    ${filter.statuses?.length ? sql`AND status IN (SELECT json_array_elements_text(${JSON.stringify(filter.statuses)}::text::json))` : sql``}
    ${after !== null ? sql`AND (started_at, id) < (${after.started_at}, ${after.id})` : sql``}
    ORDER BY started_at DESC, id DESC
    ${limit !== undefined ? sql`LIMIT ${limit}` : sql``}`;
}

/** The read side of runs in PostgreSQL. */
export function pgRunReader(db: PgClient): RunReader {
  /** Attaches each run's attempts (one query for the whole page of runs). */
  const withAttempts = async (sql: Sql, rows: RunRow[], withOutput: boolean) => {
    if (rows.length === 0) return [];
    const columns = sql.unsafe(withOutput ? `${ATTEMPT_META}, output` : ATTEMPT_META);
    const attempts = await sql<AttemptRow[]>`SELECT ${columns} FROM attempts
      WHERE run_id IN (SELECT json_array_elements_text(${JSON.stringify(rows.map((r) => r.id))}::text::json)) ORDER BY run_id, n`;
    const byRun = new Map<string, AttemptRow[]>();
    for (const a of attempts) byRun.set(a.run_id, [...(byRun.get(a.run_id) ?? []), a]);
    return rows.map((row) => runFromRow(row, byRun.get(row.id) ?? []));
  };

  /** Pages of EACH_PAGE runs, each page after the last one's (started_at, id): memory stays flat. */
  const each = (filter: RunFilter): AsyncIterable<RunRecord> => ({
    async *[Symbol.asyncIterator]() {
      let after: RunRow | null = null;
      for (let left = filter.limit ?? Infinity; left > 0;) {
        const cursor = after;
        const want = Math.min(EACH_PAGE, left);
        const runs = await db.call(async (sql) => withAttempts(sql, await page(sql, filter, cursor, want), false));
        yield* runs;
        if (runs.length < want) return;
        left -= runs.length;
        after = { id: runs[runs.length - 1]?.id, started_at: runs[runs.length - 1]?.startedAt } as RunRow;
      }
    },
  });

  return {
    list: (filter: RunFilter) => db.call(async (sql) => withAttempts(sql, await page(sql, filter, null, filter.limit), false)),
    each,
    // Records only: the JSON or CSV of each run is written by the caller.
    eachJson: each,
    eachCsv: each,
    findByPrefix: (prefix: string, limit: number) => db.call(async (sql) => {
      const lower = prefix.toLowerCase();
      const rows = await sql<RunRow[]>`SELECT * FROM runs WHERE id >= ${lower} AND id < ${`${lower}\uffff`} ORDER BY id LIMIT ${limit}`;
      return withAttempts(sql, rows, true);
    }),
    jobNames: () => db.call(async (sql) => {
      const rows = await sql.unsafe<Array<{ x: string }>>(`${JOB_NAMES} UNION SELECT name FROM jobs ORDER BY 1`);
      return rows.map((r) => r.x);
    }),
    stats: (filter) => db.call(async (sql) => {
      // Percentiles in the server, from each job's sorted durations: only one row per job crosses the network.
      const failureCounts = sql.unsafe(FAILURE_STATUSES.map((s) => `count(*) FILTER (WHERE status = '${s}') AS "${s}"`).join(', '));
      const rows = await sql<Array<Record<string, number | string | null>>>`
        SELECT job, runs, successes, ${sql.unsafe(FAILURE_STATUSES.map((s) => `"${s}"`).join(', '))},
          ${sql.unsafe(rank(50))} AS p50, ${sql.unsafe(rank(95))} AS p95, d[cardinality(d)] AS max
        FROM (SELECT job, count(*) AS runs, count(*) FILTER (WHERE status = 'success') AS successes, ${failureCounts},
            array_agg(duration_ms ORDER BY duration_ms) FILTER (WHERE duration_ms IS NOT NULL) AS d
          FROM runs WHERE status NOT IN ('running', 'skipped')
          ${filter.job !== undefined ? sql`AND job = ${filter.job}` : sql``}
          ${filter.since !== undefined ? sql`AND started_at >= ${filter.since}` : sql``}
          ${filter.host !== undefined ? sql`AND host = ${filter.host}` : sql``}
          GROUP BY job) s
        ORDER BY job`;
      return rows.map((r): JobStats => ({
        job: r['job'] as string, runs: Number(r['runs']), successes: Number(r['successes']),
        failures: Object.fromEntries(FAILURE_STATUSES.map((s) => [s, Number(r[s])])),
        p50Ms: nullableNumber(r['p50']), p95Ms: nullableNumber(r['p95']), maxMs: nullableNumber(r['max']),
      }));
    }),
  };
}

const nullableNumber = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
