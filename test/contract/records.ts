// Records the contract kit writes: plausible runs at fixed times, built without any backend.
import type { Store } from '../../src/store/store.ts';
import type { AttemptRecord, RunRecord } from '../../src/shared/types.ts';

let counter = 0;

/** A run record as a wrapper would begin it, `running`; fields may be overridden. */
export function aRun(job: string, startedAt: string, over: Partial<RunRecord> = {}): RunRecord {
  counter++;
  const id = over.id ?? `${(0x10000000 + counter).toString(16)}-0000-4000-8000-${String(counter).padStart(12, '0')}`;
  return {
    id, job, status: 'running', exitCode: null, signal: null, startedAt, heartbeatAt: startedAt, endedAt: null,
    durationMs: null, host: 'host-a', pid: 1000 + counter, pidStart: String(5000 + counter), pgid: null,
    command: ['/bin/sh', '-c', 'exit 0'], timeoutMs: 60_000, killAfterMs: 10_000, heartbeatMs: 30_000, reason: null,
    attempts: [], ...over,
  };
}

/** A finished run, ended `ms` after it started, with one attempt of the same ending. */
export function aFinishedRun(job: string, startedAt: string, status: RunRecord['status'], ms = 1000): RunRecord {
  const endedAt = new Date(Date.parse(startedAt) + ms).toISOString();
  const exitCode = status === 'success' ? 0 : status === 'failed' ? 1 : null;
  const attempt: AttemptRecord = {
    n: 1, status, exitCode, signal: null, startedAt, endedAt, durationMs: ms, outputBytes: 0, reason: null, output: Buffer.alloc(0),
  };
  return { ...aRun(job, startedAt), status, exitCode, endedAt, heartbeatAt: endedAt, durationMs: ms, attempts: [attempt] };
}

/** Records runs as the spool would: each complete. */
export async function recordAll(store: Store, runs: RunRecord[]): Promise<void> {
  for (const run of runs) await store.runs.ingest(run, null);
}

/** An ISO time `minutes` after a fixed origin. */
export const at = (minutes: number): string => new Date(Date.UTC(2030, 0, 1) + minutes * 60_000).toISOString();
