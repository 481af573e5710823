import type { AlertStore, DeliveryFailure, HeardChange, HeardProblem, NewOutboxItem, OutboxItem } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { streakReader } from './streak.ts';

const PENDING = 'delivered_at IS NULL AND dead_at IS NULL';

interface OutboxRow {
  id: number; event_id: string; event_type: string; job: string | null; channel_fp: string; payload: string;
  attempts: number; created_at: string;
}

/** A statement prepared on first use: a run that never notifies never pays for these. */
function lazy(db: SqliteDatabase, sql: string) {
  let statement: ReturnType<SqliteDatabase['prepare']> | undefined;
  return () => (statement ??= db.prepare(sql));
}

/** Failure streaks and the notification outbox in SQLite. */
export function sqliteAlertStore(db: SqliteDatabase): AlertStore {
  const streak = streakReader(db, false);
  const insert = lazy(db, `INSERT INTO outbox (event_id, event_type, job, channel_fp, payload, created_at, next_at)
    VALUES (@eventId, @eventType, @job, @channelFp, @payload, @at, @at)`);
  // A row waits while an older row of its channel is pending and not due, or claimed by someone:
  // notifications of one channel arrive in the order they happened.
  const claimable = lazy(db, `
    SELECT id, event_id, event_type, job, channel_fp, payload, attempts, created_at FROM outbox o
    WHERE ${PENDING} AND next_at <= @now AND (claim_until IS NULL OR claim_until < @now)
      AND channel_fp IN (SELECT value FROM json_each(@channels))
      AND NOT EXISTS (SELECT 1 FROM outbox p WHERE p.channel_fp = o.channel_fp AND p.id < o.id
        AND p.delivered_at IS NULL AND p.dead_at IS NULL AND (p.next_at > @now OR p.claim_until >= @now))
    ORDER BY id LIMIT @limit`);
  const setClaim = lazy(db, 'UPDATE outbox SET claim_token = @token, claim_until = @until WHERE id = @id');
  const delivered = lazy(db, `UPDATE outbox SET delivered_at = @at, attempts = attempts + 1, last_error = NULL,
    claim_token = NULL, claim_until = NULL WHERE id = @id AND claim_token = @token AND delivered_at IS NULL`);
  const failed = lazy(db, `UPDATE outbox SET attempts = attempts + 1, last_error = @error, next_at = @nextAt,
    dead_at = @deadAt, claim_token = NULL, claim_until = NULL WHERE id = @id AND claim_token = @token`);
  const release = lazy(db, 'UPDATE outbox SET claim_token = NULL, claim_until = NULL WHERE id = @id AND claim_token = @token');

  const hear = lazy(db, `INSERT INTO channel_problems (channel_fp, job, kind, since, run_id, message, heard_at)
    VALUES (@channelFp, @job, @kind, @since, @runId, @message, @at) ON CONFLICT (channel_fp, job, kind) DO NOTHING`);
  const forget = lazy(db, 'DELETE FROM channel_problems WHERE channel_fp = @channelFp AND job = @job AND kind = @kind AND since = @since');
  /** Whether a channel's heard problems changed as asked (no: another sweep made that change first). */
  const applies = (change: HeardChange, at: string): boolean =>
    (change.op === 'hear' ? hear() : forget()).run(change.op === 'hear' ? { ...change.problem, at } : {
      channelFp: change.problem.channelFp, job: change.problem.job, kind: change.problem.kind, since: change.problem.since,
    }).changes === 1;
  const enqueue = db.transaction((items: NewOutboxItem[], at: string) => items.flatMap((item) => {
    if (item.heard && !applies(item.heard, at)) return [];
    const { eventId, eventType, job, channelFp, payload } = item;
    return [Number(insert().run({ eventId, eventType, job, channelFp, payload, at }).lastInsertRowid)];
  }));
  const claim = db.transaction((now: string, until: string, token: string, limit: number, channels: string) => {
    const rows = claimable().all({ now, limit, channels }) as OutboxRow[];
    for (const row of rows) setClaim().run({ token, until, id: row.id });
    return rows.map((r): OutboxItem => ({
      id: r.id, eventId: r.event_id, eventType: r.event_type, job: r.job, channelFp: r.channel_fp, payload: r.payload,
      attempts: r.attempts, createdAt: r.created_at,
    }));
  });

  return {
    async failuresBefore(job, runId, startedAt) {
      return streak(job, { runId, startedAt }).count;
    },
    async enqueue(items, at) {
      return enqueue.immediate(items, at);
    },
    async heard(channelFps) {
      if (channelFps.length === 0) return [];
      const rows = db.prepare(`SELECT channel_fp, job, kind, since, run_id, message FROM channel_problems
        WHERE channel_fp IN (SELECT value FROM json_each(?)) ORDER BY channel_fp, job, kind`).all(JSON.stringify(channelFps)) as
        Array<{ channel_fp: string; job: string; kind: string; since: string; run_id: string | null; message: string }>;
      return rows.map((r): HeardProblem => ({ channelFp: r.channel_fp, job: r.job, kind: r.kind, since: r.since, runId: r.run_id, message: r.message }));
    },
    async claim(now, until, token, limit, channelFps) {
      if (channelFps.length === 0) return [];
      return claim.immediate(now, until, token, limit, JSON.stringify(channelFps));
    },
    async markDelivered(id, token, at) {
      return delivered().run({ id, token, at }).changes === 1;
    },
    async markFailed(id: number, token: string, f: DeliveryFailure) {
      failed().run({ id, token, error: f.error, nextAt: f.nextAt, deadAt: f.deadAt });
    },
    async release(ids, token) {
      db.transaction(() => { for (const id of ids) release().run({ id, token }); })();
    },
    async purgeDelivered(before) {
      return db.prepare('DELETE FROM outbox WHERE delivered_at IS NOT NULL AND delivered_at < ?').run(before).changes;
    },
  };
}
