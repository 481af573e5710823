import type { Clock } from '../shared/time.ts';
import { OutputCapture } from './capture.ts';
import { type AttemptChecks, applyChecks } from './checks.ts';
import { LineMatcher } from './line-matcher.ts';
import { classify, type Verdict } from './classify.ts';
import { JobScope, RUN_ID_VAR, type JobProcess } from '../shared/proc-scan.ts';
import { stopJob } from './group.ts';
import { outputReclaimer } from './reclaim.ts';
import type { Interrupts } from './interrupts.ts';
import type { ChildExit, Spawner } from './spawn.ts';

/** How long output is still read after the command exits, for a background process that holds the pipe. */
export const DRAIN_AFTER_EXIT_MS = 2000;

/** What one attempt needs to know. */
export interface AttemptPlan {
  argv: readonly string[];
  /** The run's id: the command's environment carries it as CRONGUARD_RUN_ID, the mark its processes are found by. */
  runId: string;
  timeoutMs: number | null;
  killAfterMs: number;
  outputLimit: number;
  /** Where live output goes with --tee. */
  tee: ((chunk: Uint8Array) => void) | null;
  /** Called once the command's process group exists. */
  onStart: (pgid: number) => void;
  /** --min-duration and --fail-on-output; null when neither is given. */
  checks: AttemptChecks | null;
}

/** One attempt as it ended. */
export interface AttemptResult extends Verdict {
  startedAt: Date;
  endedAt: Date;
  output: Buffer;
  outputBytes: number;
  /** Processes the command left running when it ended by itself (`pid 123 (sleep)`). */
  leftovers: string[];
  /** Why --fail-on-output could not check all of a successful attempt's output, or null. */
  uncheckedOutput: string | null;
}

/** The seams an attempt runs through. */
export interface AttemptDeps {
  spawn: Spawner;
  clock: Clock;
  interrupts: Interrupts;
}

/** Runs the command once: captures its output, enforces the timeout on its whole group, honours interrupts. */
export async function runAttempt(plan: AttemptPlan, deps: AttemptDeps): Promise<AttemptResult> {
  const startedAt = deps.clock.now();
  const capture = new OutputCapture(plan.outputLimit);
  const child = await deps.spawn(plan.argv, { [RUN_ID_VAR]: plan.runId });
  const pgid = child.pid;
  // First thing after the spawn: the group goes on record before anything else the run writes.
  if (pgid !== undefined) plan.onStart(pgid);
  const reclaim = outputReclaimer();
  const matcher = plan.checks?.failOnOutput ? new LineMatcher(plan.checks.failOnOutput) : null;
  child.onOutput((chunk) => {
    capture.write(chunk);
    matcher?.write(chunk);
    reclaim(chunk.length);
    plan.tee?.(chunk);
  });

  let timedOut = false;
  let interruptedBy: NodeJS.Signals | null = null;
  let stopping: Promise<JobProcess[]> | null = null;
  const scope = pgid === undefined ? null : new JobScope(plan.runId, pgid);
  /** Signals the job's processes and arranges the SIGKILL; they are gone when the returned promise settles. */
  const stop = (signal: NodeJS.Signals) => {
    if (!scope || stopping) return;
    stopping = stopJob(scope, signal, plan.killAfterMs);
  };
  const timer = plan.timeoutMs === null || pgid === undefined ? null : setTimeout(() => {
    timedOut = true;
    stop('SIGTERM');
  }, plan.timeoutMs);
  const stopListening = deps.interrupts.onInterrupt((signal) => {
    interruptedBy = signal;
    stop(signal);
  });

  const exit: ChildExit = await child.exited;
  if (timer) clearTimeout(timer);
  const survivors = stopping ? await stopping : [];
  stopListening();
  await drain(child.outputEnded, stopping ? 200 : DRAIN_AFTER_EXIT_MS);
  child.detachOutput();
  // A command that ended by itself may leave processes running on purpose: they are named, not killed.
  const leftovers = !stopping && scope && !exit.spawnError ? scope.processesNow() : [];

  const endedAt = deps.clock.now();
  let verdict = classify(exit, timedOut, interruptedBy, plan.argv[0] ?? '');
  const matched = matcher ? await matcher.finish(verdict.status === 'success') : null;
  if (plan.checks) verdict = applyChecks(verdict, plan.checks, endedAt.getTime() - startedAt.getTime(), matched, matcher?.gaveUp ?? null);
  const note = survivors.length > 0 ? `survived SIGKILL: ${survivors.map(JobScope.describe).join(', ')}`
    : leftovers.length > 0 ? `left running: ${leftovers.map(JobScope.describe).join(', ')}` : null;
  if (note) verdict = { ...verdict, reason: [verdict.reason, note].filter(Boolean).join('; ') };
  const uncheckedOutput = verdict.status === 'success' && matched === null ? matcher?.gaveUp ?? null : null;
  return { ...verdict, startedAt, endedAt, output: capture.kept(), outputBytes: capture.total, leftovers: leftovers.map(JobScope.describe), uncheckedOutput };
}

/** Waits for the output to end, at most `ms`. */
function drain(ended: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([ended, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })])
    .finally(() => clearTimeout(timer));
}
