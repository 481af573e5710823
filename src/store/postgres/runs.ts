import type { HolderCheck, OnceWinner, RunEnding, RunWriter } from '../store.ts';
import type { AttemptRecord, JobSchedule, RunRecord } from '../../shared/types.ts';
import { attemptParams, runParams } from '../sqlite/rows.ts';
import type { PgClient, Sql, Tx } from './client.ts';

/**
 * The job row, as one statement: inserted when new; updated only when a run's --schedule changes what is
 * known (a run without one keeps it). An unchanged row is neither written nor locked: 200 runs of one job
 * starting at once must not queue on its row behind wrappers that wait for a CPU between round trips.
 * (`updated_at` is when the row last changed.)
 */
function noteJob(sql: Sql | Tx, run: RunRecord, schedule: JobSchedule | null) {
  return sql`WITH fresh AS (${newJob(sql, run, schedule)}) ${changedJob(sql, run, schedule)}`;
}

function newJob(sql: Sql | Tx, run: RunRecord, schedule: JobSchedule | null) {
  return sql`INSERT INTO jobs (name, schedule, tz, grace_ms, first_seen_at, updated_at)
    VALUES (${run.job}, ${schedule?.schedule ?? null}, ${schedule?.tz ?? null}, ${schedule?.graceMs ?? null}, ${run.startedAt}, ${run.startedAt})
    ON CONFLICT (name) DO NOTHING`;
}

function changedJob(sql: Sql | Tx, run: RunRecord, schedule: JobSchedule | null) {
  const s = schedule?.schedule ?? null;
  const tz = schedule?.tz ?? null;
  const grace = schedule?.graceMs ?? null;
  return sql`UPDATE jobs SET schedule = coalesce(${s}::text, schedule), tz = coalesce(${tz}::text, tz),
      grace_ms = coalesce(${grace}::bigint, grace_ms), updated_at = ${run.startedAt}
    WHERE name = ${run.job} AND ${s}::text IS NOT NULL
      AND (schedule, tz, grace_ms) IS DISTINCT FROM (coalesce(${s}::text, schedule), coalesce(${tz}::text, tz), coalesce(${grace}::bigint, grace_ms))`;
}

function insertRun(sql: Sql | Tx, run: RunRecord) {
  return sql`INSERT INTO runs ${sql(runParams(run) as unknown as Record<string, string>)}`;
}

function upsertAttempt(sql: Sql | Tx, runId: string, attempt: AttemptRecord) {
  const row = attemptParams(runId, attempt);
  const { run_id: _id, n: _n, ...rest } = row;
  return sql`INSERT INTO attempts ${sql(row as unknown as Record<string, string>)}
    ON CONFLICT (run_id, n) DO UPDATE SET ${sql(rest as unknown as Record<string, string>)}`;
}

/** Serialises the writers of one job (overlap, --once) without locking anyone else out. */
function lockJob(tx: Tx, job: string) {
  return tx`SELECT pg_advisory_xact_lock(hashtext(${`cronguard job ${job}`}))`;
}

/** The earlier `running` run of a job whose holder is live (overlap), if any; inside the caller's transaction. */
async function liveHolder(tx: Tx, job: string, isLive: HolderCheck) {
  const rows = await tx<Array<{ id: string; host: string; pid: number; pid_start: string | null; pgid: number | null; heartbeat_at: string; heartbeat_ms: number }>>`
    SELECT id, host, pid, pid_start, pgid, heartbeat_at, heartbeat_ms FROM runs WHERE job = ${job} AND status = 'running'`;
  return rows.find((r) => isLive({
    id: r.id, holder: { host: r.host, pid: r.pid, startTicks: r.pid_start }, pgid: r.pgid,
    heartbeatAt: r.heartbeat_at, heartbeatMs: r.heartbeat_ms,
  }));
}

/** The write side of runs in PostgreSQL: each call is one statement or one short transaction. */
export function pgRunWriter(db: PgClient): RunWriter {
  return {
    async begin(run, schedule) {
      // One statement, one round trip: nothing is held while this wrapper waits for a CPU.
      await db.call((sql) => sql`WITH fresh AS (${newJob(sql, run, schedule)}), changed AS (${changedJob(sql, run, schedule)}) ${insertRun(sql, run)}`);
    },
    async beginExclusive(run, schedule, isLive: HolderCheck) {
      return db.call((sql) => sql.begin(async (tx) => {
        await lockJob(tx, run.job);
        const live = await liveHolder(tx, run.job, isLive);
        if (live) return live.id;
        await noteJob(tx, run, schedule);
        await insertRun(tx, run);
        return null;
      }));
    },
    async claimOnce(run, schedule, scheduledAt, isLive) {
      return db.call((sql) => sql.begin(async (tx): Promise<OnceWinner | null> => {
        if (isLive) {
          // Overlap too: under the job's lock (as beginExclusive), a claim already made wins; then a live earlier run.
          await lockJob(tx, run.job);
          const [claimed] = await tx<Array<{ run_id: string; host: string }>>`
            SELECT run_id, host FROM once_claims WHERE job = ${run.job} AND scheduled_at = ${scheduledAt}`;
          if (claimed) return { runId: claimed.run_id, host: claimed.host };
          const live = await liveHolder(tx, run.job, isLive);
          if (live) return { runId: live.id, host: live.host, stillRunning: true };
        }
        const [mine] = await tx`INSERT INTO once_claims (job, scheduled_at, run_id, host, claimed_at)
          VALUES (${run.job}, ${scheduledAt}, ${run.id}, ${run.host}, ${run.startedAt})
          ON CONFLICT (job, scheduled_at) DO NOTHING RETURNING run_id`;
        if (mine) {
          await noteJob(tx, run, schedule);
          await insertRun(tx, run);
          return null;
        }
        const [winner] = await tx<Array<{ run_id: string; host: string }>>`
          SELECT run_id, host FROM once_claims WHERE job = ${run.job} AND scheduled_at = ${scheduledAt}`;
        return { runId: winner?.run_id ?? '?', host: winner?.host ?? '?' };
      }));
    },
    async setGroup(runId, pgid) {
      await db.call((sql) => sql`UPDATE runs SET pgid = ${pgid} WHERE id = ${runId}`);
    },
    async heartbeat(runId, at) {
      await db.call((sql) => sql`UPDATE runs SET heartbeat_at = ${at} WHERE id = ${runId} AND status = 'running'`);
    },
    async addAttempt(runId, attempt) {
      await db.call((sql) => upsertAttempt(sql, runId, attempt));
    },
    async finish(runId: string, e: RunEnding, lastAttempt?: AttemptRecord | null) {
      const close = (sql: Sql | Tx) => sql`UPDATE runs SET status = ${e.status}, exit_code = ${e.exitCode}, signal = ${e.signal},
        ended_at = ${e.endedAt}, heartbeat_at = ${e.endedAt}, duration_ms = ${e.durationMs}, reason = ${e.reason} WHERE id = ${runId}`;
      // With its last attempt: one statement too (one round trip, atomic), not a transaction of two.
      await db.call(async (sql) => {
        if (lastAttempt) await sql`WITH attempt AS (${upsertAttempt(sql, runId, lastAttempt)}) ${close(sql)}`;
        else await close(sql);
      });
    },
    async ingest(run, schedule) {
      return db.call((sql) => sql.begin(async (tx) => {
        const [existing] = await tx<Array<{ status: string }>>`SELECT status FROM runs WHERE id = ${run.id} FOR UPDATE`;
        if (existing && existing.status !== 'running' && existing.status !== 'lost') return false;
        await noteJob(tx, run, schedule);
        if (existing) await tx`DELETE FROM runs WHERE id = ${run.id}`;
        await insertRun(tx, run);
        for (const attempt of run.attempts) await upsertAttempt(tx, run.id, attempt);
        return true;
      }));
    },
  };
}
