import { EXIT } from '../shared/errors.ts';
import { randomUUID } from 'node:crypto';
import type { Clock } from '../shared/time.ts';
import { iso } from '../shared/time.ts';
import { selfIdentity } from '../shared/proc.ts';
import type { AttemptRecord, JobSchedule, RetryOn, RunRecord } from '../shared/types.ts';
import { runAttempt, type AttemptResult } from './attempt.ts';
import { backoffDelayMs } from './backoff.ts';
import type { AttemptChecks } from './checks.ts';
import { signalExitCode } from './classify.ts';
import { interruptibleSleep, type Interrupts } from './interrupts.ts';
import type { Recorder } from './recorder.ts';
import type { Spawner } from './spawn.ts';

export type { RetryOn };

/** Everything a run needs, already validated. */
export interface RunPlan {
  job: string;
  argv: readonly string[];
  timeoutMs: number | null;
  killAfterMs: number;
  retries: number;
  retryDelayMs: number;
  retryMaxDelayMs: number;
  retryOn: RetryOn | null;
  heartbeatMs: number;
  outputLimit: number;
  schedule: JobSchedule | null;
  tee: ((chunk: Uint8Array) => void) | null;
  /** --min-duration and --fail-on-output; null when neither is given. */
  checks: AttemptChecks | null;
}

/** The seams a run goes through. */
export interface RunDeps {
  spawn: Spawner;
  clock: Clock;
  interrupts: Interrupts;
  recorder: Recorder;
  random: () => number;
}

/** The finished run and the code cronguard exits with. */
export interface RunOutcome {
  run: RunRecord;
  exitCode: number;
  /** Why --fail-on-output could not check all of the output of a run that then counted as a success. */
  uncheckedOutput: string | null;
}

/** A new run record, `running`, owned by this process. */
export function newRun(plan: RunPlan, now: Date): RunRecord {
  const me = selfIdentity();
  return {
    id: randomUUID(), job: plan.job, status: 'running', exitCode: null, signal: null,
    startedAt: iso(now), heartbeatAt: iso(now), endedAt: null, durationMs: null,
    host: me.host, pid: me.pid, pidStart: me.startTicks, pgid: null, command: [...plan.argv],
    timeoutMs: plan.timeoutMs, killAfterMs: plan.killAfterMs, heartbeatMs: plan.heartbeatMs,
    reason: null, attempts: [],
  };
}

/** Runs the command with retries, recording the run before it starts and every attempt as it ends. */
export async function executeRun(plan: RunPlan, run: RunRecord, deps: RunDeps): Promise<RunOutcome> {
  const heartbeat = setInterval(() => void deps.recorder.heartbeat(run.id, iso(deps.clock.now())), plan.heartbeatMs);
  let last: AttemptResult | null = null;
  // The final attempt is written with the run's ending, in one transaction.
  let unrecorded: AttemptRecord | null = null;
  try {
    for (let n = 1; n <= plan.retries + 1; n++) {
      last = await runAttempt({
        argv: plan.argv, runId: run.id, timeoutMs: plan.timeoutMs, killAfterMs: plan.killAfterMs, outputLimit: plan.outputLimit,
        tee: plan.tee, checks: plan.checks,
        onStart: (pgid) => {
          run.pgid = pgid;
          // Not awaited (the job's timers must not wait on the store), but queued ahead of every later write.
          void deps.recorder.setGroup(run.id, pgid);
        },
      }, deps);
      const attempt = attemptRecord(n, last);
      run.attempts.push(attempt);
      if (n > plan.retries || !shouldRetry(last, plan.retryOn) || deps.interrupts.received) {
        unrecorded = attempt;
        break;
      }
      await deps.recorder.addAttempt(run.id, attempt);
      const interrupted = await interruptibleSleep(backoffDelayMs(n, plan.retryDelayMs, plan.retryMaxDelayMs, deps.random), deps.interrupts);
      if (interrupted) break;
    }
  } finally {
    clearInterval(heartbeat);
  }
  return finishRun(plan, run, last, unrecorded, deps);
}

/** Closes the record: the last attempt decides, an interrupt during a backoff wait makes it `killed`. */
async function finishRun(plan: RunPlan, run: RunRecord, last: AttemptResult | null, unrecorded: AttemptRecord | null, deps: RunDeps): Promise<RunOutcome> {
  const endedAt = deps.clock.now();
  const signal = deps.interrupts.received;
  const interruptedBetween = signal !== null && last?.status !== 'killed';
  const ending = {
    status: interruptedBetween ? 'killed' as const : last?.status ?? 'killed',
    exitCode: interruptedBetween ? null : last?.exitCode ?? null,
    signal: interruptedBetween ? signal : last?.signal ?? null,
    endedAt: iso(endedAt),
    durationMs: endedAt.getTime() - Date.parse(run.startedAt),
    reason: interruptedBetween ? `cronguard received ${signal} between attempts` : last?.reason ?? null,
  };
  Object.assign(run, ending, { heartbeatAt: ending.endedAt });
  await deps.recorder.finish(run, ending, plan.schedule, unrecorded);
  const exitCode = interruptedBetween ? signalExitCode(signal) : last?.code ?? EXIT.failure;
  const uncheckedOutput = ending.status === 'success' ? last?.uncheckedOutput ?? null : null;
  return { run, exitCode, uncheckedOutput };
}

/** The attempt as recorded. */
function attemptRecord(n: number, r: AttemptResult): AttemptRecord {
  return {
    n, status: r.status, exitCode: r.exitCode, signal: r.signal, startedAt: iso(r.startedAt), endedAt: iso(r.endedAt),
    durationMs: r.endedAt.getTime() - r.startedAt.getTime(), outputBytes: r.outputBytes, reason: r.reason, output: r.output,
  };
}

/**
 * Whether a failed attempt is worth another: never a success or an interrupt; a command that could not be
 * started (126, 127) only when --retry-on names its code (a file system not mounted yet is transient).
 */
export function shouldRetry(result: Pick<AttemptResult, 'status' | 'code'>, retryOn: RetryOn | null): boolean {
  if (result.status === 'success' || result.status === 'skipped') return false;
  if (result.status === 'error') return retryOn !== null && retryOn.codes.has(result.code);
  if (retryOn === null) return true;
  if (result.status === 'timeout') return retryOn.timeout;
  return retryOn.codes.has(result.code);
}
