import { shortId } from '../shared/run-id.ts';
import { formatDuration } from '../shared/duration.ts';
import { localTime } from '../shared/local-time.ts';
import type { ProcessIdentity } from '../shared/types.ts';
import type { LostRun, Problem, RunningRun } from '../shared/sweep-model.ts';
import { staleAfterMs } from '../shared/heartbeat.ts';
import { firstValidTime, storedMs } from '../shared/stored.ts';

const MINUTE = 60_000;
/**
 * Past its timeout plus kill-after, a run whose earlier attempt failed may still be waiting out a retry
 * backoff (the record does not say how long): this much more is allowed before calling it overrunning.
 */
export const RETRY_ALLOWANCE_MS = 5 * MINUTE;

/** The process checks sweep makes, injected so tests can decide what is alive. */
export interface Liveness {
  /** Whether the wrapper is still that very process; undefined when it ran on another host. */
  wrapper(identity: ProcessIdentity): boolean | undefined;
  /** Whether a live process is left in a process group of this host. */
  group(pgid: number): boolean;
}

/** A problem found by a sweep; `transient` ones (a run just marked lost) are reported once, never kept open. */
export type Finding = Problem & { transient?: boolean };

/** How the running runs stand at `at`: stuck ones, lost ones (to be marked) and overrunning ones. */
export function judgeRunning(
  runs: readonly RunningRun[], at: number,
  limits: { staleMs: number | null; maxRuntimeMs: number | null }, live: Liveness,
): { findings: Finding[]; lost: LostRun[] } {
  const findings: Finding[] = [];
  const lost: LostRun[] = [];
  for (const run of runs) {
    const alive = live.wrapper({ host: run.host, pid: run.pid, startTicks: run.pidStart });
    const staleAfter = limits.staleMs ?? staleAfterMs(run.heartbeatMs);
    const silence = at - (storedMs(run.heartbeatAt) ?? Number.NEGATIVE_INFINITY);
    // A heartbeat that is not a time proves nothing: the run counts as silent.
    const stale = silence > staleAfter;
    const base = { job: run.job, runId: run.id };
    const since = firstValidTime(run.heartbeatAt, run.startedAt) ?? new Date(at).toISOString();
    if (alive === false || (alive === undefined && stale)) {
      const why = alive === false
        ? `its wrapper (pid ${run.pid}) is gone from this host`
        : `no heartbeat from host ${run.host} ${silenceText(silence, 'for ')} (stale after ${formatDuration(staleAfter)})`;
      const group = alive === false && run.pgid !== null && live.group(run.pgid)
        ? `; its process group ${run.pgid} outlived the wrapper and is still running` : '';
      findings.push({ ...base, kind: 'stuck', since, transient: true,
        message: `run ${shortId(run.id)} ${why}; last heartbeat ${localTime(run.heartbeatAt)}; marked lost${group}` });
      const started = storedMs(run.startedAt);
      lost.push({ runId: run.id, durationMs: started === null ? null : Math.max(0, at - started), reason: `marked lost by sweep: ${why}${group}` });
      continue;
    }
    if (stale) {
      findings.push({ ...base, kind: 'stuck', since,
        message: `run ${shortId(run.id)}: wrapper pid ${run.pid} is alive but its last heartbeat is ${silenceText(silence, '')}${Number.isFinite(silence) ? ' old' : ''} (stale after ${formatDuration(staleAfter)}): stopped or hung` });
    }
    const overrun = overrunOf(run, at, limits.maxRuntimeMs);
    if (overrun) findings.push({ ...base, kind: 'overrun', ...overrun });
  }
  return { findings: oncePerJobAndKind(findings), lost };
}

/** When and why a live run is past its limit: --max-runtime, else its own timeout plus kill-after. */
function overrunOf(run: RunningRun, at: number, maxRuntimeMs: number | null): { since: string; message: string } | null {
  const started = storedMs(run.startedAt);
  // A start that is not a time cannot be measured against a limit (the sweep names the row instead).
  if (started === null) return null;
  const running = `run ${shortId(run.id)} has been running for ${formatDuration(at - started)}`;
  if (maxRuntimeMs !== null && at - started > maxRuntimeMs) {
    return { since: new Date(started + maxRuntimeMs).toISOString(), message: `${running}, past --max-runtime ${formatDuration(maxRuntimeMs)}` };
  }
  if (run.timeoutMs === null) return null;
  // The current attempt began after the latest recorded one ended (plus a backoff), or with the run.
  const from = run.lastAttemptEndedAt ? storedMs(run.lastAttemptEndedAt) ?? started : started;
  const limit = run.timeoutMs + run.killAfterMs + (run.lastAttemptEndedAt ? RETRY_ALLOWANCE_MS : 0);
  if (at - from <= limit) return null;
  return {
    since: new Date(from + limit).toISOString(),
    message: `${running}, past its timeout ${formatDuration(run.timeoutMs)} plus kill-after ${formatDuration(run.killAfterMs)}: its wrapper did not end it`,
  };
}

/** One finding per job and kind (the oldest), saying how many more runs are in the same state. */
function oncePerJobAndKind(findings: Finding[]): Finding[] {
  const kept = new Map<string, { finding: Finding; more: number }>();
  for (const f of findings) {
    const key = `${f.job}\0${f.kind}`;
    const seen = kept.get(key);
    if (seen) seen.more++;
    else kept.set(key, { finding: f, more: 0 });
  }
  return [...kept.values()].map(({ finding, more }) => (more ? { ...finding, message: `${finding.message} (and ${more} more run${more > 1 ? 's' : ''} of this job)` } : finding));
}

/** How long a run has been silent, or that its heartbeat is not a valid time. */
function silenceText(silence: number, before: string): string {
  return Number.isFinite(silence) ? `${before}${formatDuration(silence)}` : 'at a time that is not a valid one';
}
