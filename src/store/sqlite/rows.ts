import type { AttemptRecord, RunRecord, RunStatus } from '../../shared/types.ts';
import { parseJsonSafely } from '../../shared/json.ts';
import { textOf } from '../../shared/neutralise.ts';

/** A row of the runs table as better-sqlite3 returns it. */
export interface RunRow {
  id: string;
  job: string;
  status: string;
  exit_code: number | null;
  signal: string | null;
  started_at: string;
  heartbeat_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  host: string;
  pid: number;
  pid_start: string | null;
  pgid: number | null;
  command: string;
  timeout_ms: number | null;
  kill_after_ms: number;
  heartbeat_ms: number;
  reason: string | null;
}

/** A row of the attempts table; `output` only when selected. */
export interface AttemptRow {
  run_id: string;
  n: number;
  status: string;
  exit_code: number | null;
  signal: string | null;
  started_at: string;
  ended_at: string | null;
  duration_ms: number | null;
  output_bytes: number;
  reason: string | null;
  output?: Buffer | null;
}

/** The named parameters of a run row, from a record. */
export function runParams(run: RunRecord): RunRow {
  return {
    id: run.id, job: run.job, status: run.status, exit_code: run.exitCode, signal: run.signal,
    started_at: run.startedAt, heartbeat_at: run.heartbeatAt, ended_at: run.endedAt,
    duration_ms: run.durationMs, host: run.host, pid: run.pid, pid_start: run.pidStart, pgid: run.pgid,
    command: JSON.stringify(run.command), timeout_ms: run.timeoutMs, kill_after_ms: run.killAfterMs,
    heartbeat_ms: run.heartbeatMs, reason: run.reason,
  };
}

/** The named parameters of an attempt row, from a record. */
export function attemptParams(runId: string, a: AttemptRecord): Required<AttemptRow> {
  return {
    run_id: runId, n: a.n, status: a.status, exit_code: a.exitCode, signal: a.signal,
    started_at: a.startedAt, ended_at: a.endedAt, duration_ms: a.durationMs,
    output_bytes: a.outputBytes, reason: a.reason, output: a.output ?? null,
  };
}

/** A run record from its row and its attempts' rows. */
export function runFromRow(row: RunRow, attempts: AttemptRow[]): RunRecord {
  return {
    id: row.id, job: row.job, status: row.status as RunStatus, exitCode: row.exit_code, signal: row.signal,
    startedAt: row.started_at, heartbeatAt: row.heartbeat_at, endedAt: row.ended_at,
    durationMs: row.duration_ms, host: row.host, pid: row.pid, pidStart: row.pid_start, pgid: row.pgid,
    command: commandOf(row.command), timeoutMs: row.timeout_ms,
    killAfterMs: row.kill_after_ms, heartbeatMs: row.heartbeat_ms, reason: row.reason,
    attempts: attempts.map(attemptFromRow),
  };
}

/** A stored command line (JSON); a malformed one stays readable as one word rather than failing the read. */
export function commandOf(text: string): string[] {
  const words = parseJsonSafely(text);
  return Array.isArray(words) && words.every((w) => typeof w === 'string') ? words : [String(text)];
}

/** Kept output as bytes: text or a number stored there is shown as the bytes of its text. */
function outputOf(value: unknown): Buffer | null {
  if (value === null || value === undefined) return null;
  return Buffer.isBuffer(value) ? value : Buffer.from(textOf(value));
}

/** An attempt record from its row. */
export function attemptFromRow(row: AttemptRow): AttemptRecord {
  const attempt: AttemptRecord = {
    n: row.n, status: row.status as RunStatus, exitCode: row.exit_code, signal: row.signal,
    startedAt: row.started_at, endedAt: row.ended_at, durationMs: row.duration_ms,
    outputBytes: row.output_bytes, reason: row.reason,
  };
  const output = outputOf(row.output);
  if (output !== null) attempt.output = output;
  return attempt;
}
