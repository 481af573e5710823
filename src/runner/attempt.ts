import type { Clock } from '../shared/time.ts';
import { OutputCapture } from './capture.ts';
import { type AttemptChecks, applyChecks } from './checks.ts';
import { LineMatcher } from './line-matcher.ts';
import { classify, type Verdict } from './classify.ts';
import { escalate, GIVE_UP_AFTER_KILL_MS, groupGone } from './group.ts';
import { outputReclaimer } from './reclaim.ts';
import type { Interrupts } from './interrupts.ts';
import type { ChildExit, Spawner } from './spawn.ts';

/** How long output is still read after the command exits, for a background process that holds the pipe. */
export const DRAIN_AFTER_EXIT_MS = 2000;

/** What one attempt needs to know. */
export interface AttemptPlan {
  argv: readonly string[];
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
  const child = deps.spawn(plan.argv);
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
  let stopping: Promise<number[]> | null = null;
  let cancelKill = () => {};
  /** Signals the group and arranges the SIGKILL; the group is gone when the returned promise settles. */
  const stop = (signal: NodeJS.Signals) => {
    if (pgid === undefined || stopping) return;
    cancelKill = escalate(pgid, signal, plan.killAfterMs);
    stopping = groupGone(pgid, plan.killAfterMs + GIVE_UP_AFTER_KILL_MS);
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
  cancelKill();
  stopListening();
  await drain(child.outputEnded, stopping ? 200 : DRAIN_AFTER_EXIT_MS);
  child.detachOutput();

  const endedAt = deps.clock.now();
  let verdict = classify(exit, timedOut, interruptedBy, plan.argv[0] ?? '');
  const matched = matcher ? await matcher.finish(verdict.status === 'success') : null;
  if (plan.checks) verdict = applyChecks(verdict, plan.checks, endedAt.getTime() - startedAt.getTime(), matched, matcher?.gaveUp ?? null);
  if (survivors.length > 0) {
    verdict = { ...verdict, reason: [verdict.reason, `process ${survivors.join(', ')} of its group survived SIGKILL`].filter(Boolean).join('; ') };
  }
  return { ...verdict, startedAt, endedAt, output: capture.kept(), outputBytes: capture.total };
}

/** Waits for the output to end, at most `ms`. */
function drain(ended: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([ended, new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); })])
    .finally(() => clearTimeout(timer));
}
