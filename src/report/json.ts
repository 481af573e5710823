import type { AttemptRecord, RunRecord } from '../shared/types.ts';
import type { JobStats } from '../store/store.ts';

/** A run in the stable JSON shape of SPEC §6; `withOutput` adds each attempt's kept output as UTF-8. */
export function runJson(run: RunRecord, withOutput = false): Record<string, unknown> {
  return {
    id: run.id,
    job: run.job,
    status: run.status,
    exitCode: run.exitCode,
    signal: run.signal,
    startedAt: run.startedAt,
    heartbeatAt: run.heartbeatAt,
    endedAt: run.endedAt,
    durationMs: run.durationMs,
    host: run.host,
    pid: run.pid,
    command: run.command,
    attempts: run.attempts.map((a) => attemptJson(a, withOutput)),
  };
}

/** An attempt in the JSON shape of SPEC §6. */
export function attemptJson(a: AttemptRecord, withOutput: boolean): Record<string, unknown> {
  const json: Record<string, unknown> = {
    n: a.n,
    status: a.status,
    exitCode: a.exitCode,
    signal: a.signal,
    startedAt: a.startedAt,
    endedAt: a.endedAt,
    durationMs: a.durationMs,
    outputBytes: a.outputBytes,
  };
  if (withOutput) json['output'] = (a.output ?? Buffer.alloc(0)).toString('utf8');
  return json;
}

/** Successes per finished run, 0 to 1, four decimals; null when there were none. */
export function successRate(s: Pick<JobStats, 'runs' | 'successes'>): number | null {
  return s.runs === 0 ? null : Math.round((s.successes / s.runs) * 10_000) / 10_000;
}

/** One job's stats in the stable JSON shape of SPEC §6. */
export function statsJson(s: JobStats): Record<string, unknown> {
  return {
    job: s.job, runs: s.runs, successes: s.successes, failures: s.failures,
    successRate: successRate(s), p50Ms: s.p50Ms, p95Ms: s.p95Ms, maxMs: s.maxMs,
  };
}
