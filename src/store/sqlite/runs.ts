import type { HolderCheck, OnceWinner, RunEnding, RunWriter } from '../store.ts';
import type { AttemptRecord, JobSchedule, RunRecord } from '../../shared/types.ts';
import type { SqliteDatabase } from './database.ts';
import { attemptParams, runParams, type RunRow } from './rows.ts';

export const RUN_COLUMNS = `id, job, status, exit_code, signal, started_at, heartbeat_at, ended_at, duration_ms, host, pid,
  pid_start, pgid, command, timeout_ms, kill_after_ms, heartbeat_ms, reason`;
const RUN_VALUES = RUN_COLUMNS.split(',').map((c) => `@${c.trim()}`).join(', ');
export const ATTEMPT_COLUMNS = 'run_id, n, status, exit_code, signal, started_at, ended_at, duration_ms, output_bytes, reason, output';
const ATTEMPT_VALUES = ATTEMPT_COLUMNS.split(',').map((c) => `@${c.trim()}`).join(', ');

/** The write side of runs in SQLite; every call is one short transaction. */
export function sqliteRunWriter(db: SqliteDatabase): RunWriter {
  const insertRun = db.prepare(`INSERT INTO runs (${RUN_COLUMNS}) VALUES (${RUN_VALUES})`);
  const upsertJob = db.prepare(`
    INSERT INTO jobs (name, schedule, tz, grace_ms, first_seen_at, updated_at)
    VALUES (@name, @schedule, @tz, @grace_ms, @at, @at)
    ON CONFLICT (name) DO UPDATE SET
      schedule = coalesce(excluded.schedule, schedule), tz = coalesce(excluded.tz, tz),
      grace_ms = coalesce(excluded.grace_ms, grace_ms), updated_at = excluded.updated_at`);
  // Only --overlap skip|wait asks: prepared on first use.
  let runningOfJob: ReturnType<SqliteDatabase['prepare']> | undefined;
  const insertAttempt = db.prepare(`INSERT OR REPLACE INTO attempts (${ATTEMPT_COLUMNS}) VALUES (${ATTEMPT_VALUES})`);

  const noteJob = (run: RunRecord, schedule: JobSchedule | null): void => {
    upsertJob.run({
      name: run.job, schedule: schedule?.schedule ?? null, tz: schedule?.tz ?? null,
      grace_ms: schedule?.graceMs ?? null, at: run.startedAt,
    });
  };
  const begin = db.transaction((run: RunRecord, schedule: JobSchedule | null) => {
    noteJob(run, schedule);
    insertRun.run(runParams(run));
  });
  /** The earlier `running` run of a job whose holder is live (overlap), if any; inside the caller's transaction. */
  const liveHolder = (job: string, isLive: HolderCheck) => {
    runningOfJob ??= db.prepare(`SELECT id, host, pid, pid_start, pgid, heartbeat_at, heartbeat_ms FROM runs WHERE job = ? AND status = 'running'`);
    const rows = runningOfJob.all(job) as Array<Pick<RunRow, 'id' | 'host' | 'pid' | 'pid_start' | 'pgid' | 'heartbeat_at' | 'heartbeat_ms'>>;
    return rows.find((r) => isLive({
      id: r.id, holder: { host: r.host, pid: r.pid, startTicks: r.pid_start }, pgid: r.pgid,
      heartbeatAt: r.heartbeat_at, heartbeatMs: r.heartbeat_ms,
    }));
  };
  const beginExclusive = db.transaction((run: RunRecord, schedule: JobSchedule | null, isLive: HolderCheck) => {
    const live = liveHolder(run.job, isLive);
    if (live) return live.id;
    noteJob(run, schedule);
    insertRun.run(runParams(run));
    return null;
  });
  const claimOnce = db.transaction((run: RunRecord, schedule: JobSchedule | null, scheduledAt: string, isLive: HolderCheck | null): OnceWinner | null => {
    const winner = db.prepare('SELECT run_id, host FROM once_claims WHERE job = ? AND scheduled_at = ?').get(run.job, scheduledAt) as { run_id: string; host: string } | undefined;
    if (winner) return { runId: winner.run_id, host: winner.host };
    const live = isLive ? liveHolder(run.job, isLive) : undefined;
    if (live) return { runId: live.id, host: live.host, stillRunning: true };
    // BEGIN IMMEDIATE: nobody claimed it between the look and this insert.
    db.prepare('INSERT INTO once_claims (job, scheduled_at, run_id, host, claimed_at) VALUES (?, ?, ?, ?, ?)')
      .run(run.job, scheduledAt, run.id, run.host, run.startedAt);
    noteJob(run, schedule);
    insertRun.run(runParams(run));
    return null;
  });
  const closeRun = db.prepare(`UPDATE runs SET status = ?, exit_code = ?, signal = ?, ended_at = ?, heartbeat_at = ?,
    duration_ms = ?, reason = ? WHERE id = ?`);
  const finish = db.transaction((runId: string, e: RunEnding, lastAttempt: AttemptRecord | null) => {
    if (lastAttempt) insertAttempt.run(attemptParams(runId, lastAttempt));
    closeRun.run(e.status, e.exitCode, e.signal, e.endedAt, e.endedAt, e.durationMs, e.reason, runId);
  });
  const ingest = db.transaction((run: RunRecord, schedule: JobSchedule | null) => {
    const existing = db.prepare('SELECT status FROM runs WHERE id = ?').get(run.id) as { status: string } | undefined;
    if (existing && existing.status !== 'running' && existing.status !== 'lost') return false;
    noteJob(run, schedule);
    // Deleted, then inserted: a REPLACE would delete the old row without firing run_latest's delete trigger.
    if (existing) db.prepare('DELETE FROM runs WHERE id = ?').run(run.id);
    insertRun.run(runParams(run));
    for (const attempt of run.attempts) insertAttempt.run(attemptParams(run.id, attempt));
    return true;
  });

  return {
    async begin(run, schedule) {
      begin.immediate(run, schedule);
    },
    async beginExclusive(run, schedule, isLive) {
      return beginExclusive.immediate(run, schedule, isLive);
    },
    async claimOnce(run, schedule, scheduledAt, isLive) {
      return claimOnce.immediate(run, schedule, scheduledAt, isLive ?? null);
    },
    async setGroup(runId, pgid) {
      db.prepare('UPDATE runs SET pgid = ? WHERE id = ?').run(pgid, runId);
    },
    async heartbeat(runId, at) {
      db.prepare(`UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'`).run(at, runId);
    },
    async addAttempt(runId: string, attempt: AttemptRecord) {
      insertAttempt.run(attemptParams(runId, attempt));
    },
    async finish(runId: string, e: RunEnding, lastAttempt?: AttemptRecord | null) {
      finish.immediate(runId, e, lastAttempt ?? null);
    },
    async ingest(run, schedule) {
      return ingest.immediate(run, schedule);
    },
  };
}
