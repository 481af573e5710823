import type { AttemptRecord, RunRecord } from '../shared/types.ts';

// A stable wire format (SPEC §6): history --json, show --json and every notification event carry runs in
// this shape, so it lives here, apart from both report and notify.

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
