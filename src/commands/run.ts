import type { CommandMain } from './context.ts';
import { Recorder } from '../runner/recorder.ts';
import { catchInterrupts } from '../runner/interrupts.ts';
import { takeTurn } from '../runner/overlap.ts';
import { signalExitCode } from '../runner/classify.ts';
import { executeRun, newRun } from '../runner/run.ts';
import { spawnCommand } from '../runner/spawn.ts';
import { describeError, EXIT } from '../shared/errors.ts';
import { iso, systemClock } from '../shared/time.ts';
import { openStore } from '../store/open.ts';
import { failureReport } from '../wire/failure-report.ts';
import { storeTargetOf } from './store-target.ts';
import { resolveRunPlan } from './run-plan.ts';
import { settleAlerts, startPing } from './run-alerts.ts';

/** `cronguard [run] [options] -- COMMAND`: everything up to the spawn is checked; after it, nothing of ours may fail the job. */
export const runMain: CommandMain = async (args, ctx) => {
  const plan = await resolveRunPlan(args, ctx.env);
  if (args.options['tee']) plan.tee = (chunk) => ctx.stdout(chunk);
  const target = storeTargetOf(args, ctx);
  const interrupts = catchInterrupts();
  const warn = (message: string) => ctx.stderr(`cronguard: ${message}\n`);
  const clock = systemClock;
  for (const warning of plan.alerts.warnings) warn(warning);

  const recording = await openStore(target, 'record', warn);
  const recorder = new Recorder(recording, ctx.stderr);
  const run = newRun(plan, clock.now());
  const turn = await takeTurn(plan.overlap, run, plan.schedule, recorder, { clock, interrupts, waitLimitMs: plan.timeoutMs, warn });
  let exitCode: number;
  let started: Promise<string | null> | null = null;
  const interruptedEarly = turn.go && interrupts.received !== null;
  if (turn.go && !interruptedEarly) {
    started = startPing(plan.alerts, run.id);
    exitCode = (await executeRun(plan, run, { spawn: spawnCommand, clock, interrupts, recorder, random: Math.random })).exitCode;
  } else {
    // Not started: an overlap skip, a wait in vain, or an interrupt (while waiting, or before the spawn).
    const status = turn.go ? 'killed' : turn.status;
    const reason = turn.go ? `cronguard received ${interrupts.received} before the command started` : turn.reason;
    const endedAt = iso(clock.now());
    const ending = { status, exitCode: null, signal: status === 'killed' ? interrupts.received : null, endedAt, durationMs: Date.parse(endedAt) - Date.parse(run.startedAt), reason };
    Object.assign(run, ending, { heartbeatAt: endedAt });
    if (!turn.go) await recorder.begin(run, plan.schedule);
    await recorder.finish(run, ending, plan.schedule);
    exitCode = status === 'killed' && interrupts.received ? signalExitCode(interrupts.received) : EXIT.ok;
  }
  interrupts.dispose();
  // From here on the job's outcome is known: nothing of ours may change its exit code.
  let built: Buffer | undefined;
  const report = () => (built ??= failureReport(run, exitCode));
  try {
    await settleAlerts({ run, exitCode, alerts: plan.alerts, store: recorder.healthy, env: ctx.env, started, warn, report });
  } catch (error) {
    warn(`notifications failed: ${describeError(error)}`);
  }
  try {
    recording.store?.close();
  } catch {
    // Closing can only fail on a database already reported broken.
  }
  const waitedInVain = run.status === 'skipped' && plan.overlap === 'wait';
  if (run.status !== 'success' && (run.status !== 'skipped' || waitedInVain)) ctx.stdout(plan.tee ? failureReport(run, exitCode, true) : report());
  return exitCode;
};
