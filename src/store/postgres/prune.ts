import type { PruneCount, RunPruner } from '../store.ts';
import type { PgClient, Sql } from './client.ts';
import { pgForget } from './forget.ts';

/** How many runs one delete transaction takes: small enough that a job's write never waits long. */
const BATCH = 2000;

/** Finished runs that ended before the cutoff; a run sweep marked lost may have no end: its last heartbeat stands for it. */
const finishedBefore = (sql: Sql, cutoff: string) =>
  sql`started_at < ${cutoff} AND status <> 'running' AND coalesce(ended_at, heartbeat_at) < ${cutoff}`;

/** Deleting old runs from PostgreSQL (their attempts go with them: ON DELETE CASCADE). */
export function pgRunPruner(db: PgClient): RunPruner {
  return {
    count: (cutoff) => db.call(async (sql) => {
      const [row] = await sql<PruneCount[]>`WITH d AS (SELECT id FROM runs WHERE ${finishedBefore(sql, cutoff)})
        SELECT (SELECT count(*) FROM d) AS runs, count(a.n) AS attempts, coalesce(sum(octet_length(a.output)), 0)::bigint AS "outputBytes"
        FROM attempts a WHERE a.run_id IN (SELECT id FROM d)`;
      return row ?? { runs: 0, attempts: 0, outputBytes: 0 };
    }),
    remove: (cutoff) => db.call(async (sql) => {
      const total: PruneCount = { runs: 0, attempts: 0, outputBytes: 0 };
      for (;;) {
        // Rows another process holds (a sweep marking a run) are left for the next prune, not waited for.
        const [batch] = await sql<PruneCount[]>`
          WITH d AS (SELECT id FROM runs WHERE ${finishedBefore(sql, cutoff)} LIMIT ${BATCH} FOR UPDATE SKIP LOCKED),
          a AS (SELECT count(*) AS n, coalesce(sum(octet_length(output)), 0)::bigint AS b FROM attempts WHERE run_id IN (SELECT id FROM d)),
          gone AS (DELETE FROM runs WHERE id IN (SELECT id FROM d) RETURNING 1)
          SELECT (SELECT count(*) FROM gone) AS runs, a.n AS attempts, a.b AS "outputBytes" FROM a`;
        const runs = batch?.runs ?? 0;
        total.runs += runs;
        total.attempts += batch?.attempts ?? 0;
        total.outputBytes += batch?.outputBytes ?? 0;
        if (runs < BATCH) break;
      }
      // --once claims of starts that old decide nothing any more.
      await sql`DELETE FROM once_claims WHERE scheduled_at < ${cutoff}`;
      return total;
    }),
    async vacuum() {
      // Plain VACUUM: the space is reused by later runs rather than given back; VACUUM FULL would lock
      // every host's writes out for its duration. It may take long on a big history: no call limit.
      await db.call((sql) => sql.unsafe('VACUUM (ANALYZE) runs, attempts'), false);
    },
    sizeBytes: () => db.call(async (sql) => {
      const [row] = await sql<Array<{ n: number }>>`SELECT (pg_total_relation_size('runs') + pg_total_relation_size('attempts'))::bigint AS n`;
      return row?.n ?? null;
    }),
    forget: pgForget(db),
  };
}
