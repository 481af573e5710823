import { streakOf } from './streak.ts';
import type { AlertStore, HeardProblem, OutboxItem } from '../store.ts';
import type { PgClient } from './client.ts';

const PENDING = 'delivered_at IS NULL AND dead_at IS NULL';

interface OutboxRow {
  id: number; event_id: string; event_type: string; job: string | null; channel_fp: string; payload: string;
  attempts: number; created_at: string;
}

/** The outbox's claims are taken one process at a time, so no two hosts claim the same row. */
const OUTBOX_LOCK = 0x6f757462;

/** Failure streaks and the notification outbox in PostgreSQL (same rules as sqlite/alerts.ts). */
export function pgAlertStore(db: PgClient): AlertStore {
  return {
    failuresBefore: (job, runId, startedAt) => db.call(async (sql) => (await streakOf(sql, job, { runId, startedAt })).count),
    enqueue: (items, at) => db.call((sql) => sql.begin(async (tx) => {
      const ids: number[] = [];
      for (const item of items) {
        const change = item.heard;
        if (change) {
          const p = change.problem;
          const applied = change.op === 'hear'
            ? await tx`INSERT INTO channel_problems (channel_fp, job, kind, since, run_id, message, heard_at)
                VALUES (${p.channelFp}, ${p.job}, ${p.kind}, ${p.since}, ${p.runId}, ${p.message}, ${at}) ON CONFLICT (channel_fp, job, kind) DO NOTHING`
            : await tx`DELETE FROM channel_problems WHERE channel_fp = ${p.channelFp} AND job = ${p.job} AND kind = ${p.kind} AND since = ${p.since}`;
          if (applied.count !== 1) continue;
        }
        const [row] = await tx<Array<{ id: number }>>`INSERT INTO outbox (event_id, event_type, job, channel_fp, payload, created_at, next_at)
          VALUES (${item.eventId}, ${item.eventType}, ${item.job}, ${item.channelFp}, ${item.payload}, ${at}, ${at}) RETURNING id`;
        ids.push(row?.id ?? 0);
      }
      return ids;
    })),
    heard: async (channelFps) => channelFps.length === 0 ? [] : db.call(async (sql) =>
      (await sql<Array<{ channel_fp: string; job: string; kind: string; since: string; run_id: string | null; message: string }>>`
        SELECT channel_fp, job, kind, since, run_id, message FROM channel_problems
        WHERE channel_fp IN (SELECT json_array_elements_text(${JSON.stringify(channelFps)}::text::json)) ORDER BY channel_fp, job, kind`)
        .map((r): HeardProblem => ({ channelFp: r.channel_fp, job: r.job, kind: r.kind, since: r.since, runId: r.run_id, message: r.message }))),
    claim: async (now, until, token, limit, channelFps) => channelFps.length === 0 ? [] : db.call((sql) => sql.begin(async (tx) => {
      await tx`SELECT pg_advisory_xact_lock(${OUTBOX_LOCK})`;
      // A row waits while an older row of its channel is pending and not due, or claimed by someone.
      const rows = await tx<OutboxRow[]>`
        SELECT id, event_id, event_type, job, channel_fp, payload, attempts, created_at FROM outbox o
        WHERE ${tx.unsafe(PENDING)} AND next_at <= ${now} AND (claim_until IS NULL OR claim_until < ${now})
          AND channel_fp IN (SELECT json_array_elements_text(${JSON.stringify(channelFps)}::text::json))
          AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel_fp = o.channel_fp AND p.id < o.id
            AND p.delivered_at IS NULL AND p.dead_at IS NULL AND (p.next_at > ${now} OR p.claim_until >= ${now}))
        ORDER BY id LIMIT ${limit}`;
      for (const row of rows) await tx`UPDATE outbox SET claim_token = ${token}, claim_until = ${until} WHERE id = ${row.id}`;
      return rows.map((r): OutboxItem => ({
        id: r.id, eventId: r.event_id, eventType: r.event_type, job: r.job, channelFp: r.channel_fp, payload: r.payload,
        attempts: r.attempts, createdAt: r.created_at,
      }));
    })),
    markDelivered: (id, token, at) => db.call(async (sql) =>
      (await sql`UPDATE outbox SET delivered_at = ${at}, attempts = attempts + 1, last_error = NULL, claim_token = NULL,
        claim_until = NULL WHERE id = ${id} AND claim_token = ${token} AND delivered_at IS NULL`).count === 1),
    async markFailed(id, token, f) {
      await db.call((sql) => sql`UPDATE outbox SET attempts = attempts + 1, last_error = ${f.error}, next_at = ${f.nextAt},
        dead_at = ${f.deadAt}, claim_token = NULL, claim_until = NULL WHERE id = ${id} AND claim_token = ${token}`);
    },
    async release(ids, token) {
      await db.call((sql) => sql`UPDATE outbox SET claim_token = NULL, claim_until = NULL
        WHERE id IN (SELECT json_array_elements_text(${JSON.stringify(ids)}::text::json)::bigint) AND claim_token = ${token}`);
    },
    purgeDelivered: (before) => db.call(async (sql) =>
      (await sql`DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ${before}`).count),
  };
}
