import type { CommandMain } from './context.ts';
import { Recorder } from '../runner/recorder.ts';
import { catchInterrupts } from '../runner/interrupts.ts';
import { takeTurn } from '../runner/overlap.ts';
import { signalExitCode } from '../runner/classify.ts';
import { executeRun, newRun } from '../runner/run.ts';
import { spawnCommand } from '../runner/spawn.ts';
import { EXIT } from '../shared/errors.ts';
import { iso, systemClock } from '../shared/time.ts';
import { openStore } from '../store/open.ts';
import { failureReport } from '../wire/failure-report.ts';
import { storeTargetOf } from './store-target.ts';
import { resolveRunPlan } from './run-plan.ts';
import { onceTurn, type OnceTurn } from './run-once.ts';
import { settleAlertsUnlessInterrupted, startPing } from './run-alerts.ts';
import { surviveStrayErrors } from '../runner/stray-errors.ts';

/** `cronguard [run] [options] -- COMMAND`: everything up to the spawn is checked; after it, nothing of ours may fail the job. */
export const runMain: CommandMain = async (args, ctx) => {
  const plan = await resolveRunPlan(args, ctx.env);
  if (args.options['tee']) plan.tee = (chunk) => ctx.stdout(chunk);
  const target = storeTargetOf(args, ctx);
  const interrupts = catchInterrupts();
  const warn = (message: string) => ctx.stderr(`cronguard: ${message}\n`);
  const clock = systemClock;
  for (const warning of plan.alerts.warnings) warn(warning);
  const stopSurviving = surviveStrayErrors(warn);

  // Not awaited: a plain run starts its command while the store opens (its writes queue behind it).
  const recording = openStore(target, 'record', warn, () => interrupts.received !== null);
  const run = newRun(plan, clock.now());
  // --once must claim its start before anything runs: it waits for the store.
  let once: OnceTurn | null = null;
  if (plan.once) {
    const opened = await recording;
    once = await onceTurn(plan, run, opened.store, opened.failure, opened.describe(), { mode: plan.overlap, clock, interrupts, waitLimitMs: plan.timeoutMs });
    if ('report' in once) {
      interrupts.dispose();
      stopSurviving();
      opened.store?.close();
      ctx.stdout(once.report);
      return EXIT.tempFail;
    }
  }
  const recorder = new Recorder(recording, ctx.stderr);
  // A signal before the command starts ends any wait for the database at once (exit 128+N, record spooled).
  const stopWaits = interrupts.onInterrupt(() => recorder.stopWaiting());
  const turn = once ?? await takeTurn(plan.overlap, run, plan.schedule, recorder, { clock, interrupts, waitLimitMs: plan.timeoutMs, warn });
  stopWaits();
  let exitCode: number;
  let started: Promise<string | null> | null = null;
  const interruptedEarly = turn.go && interrupts.received !== null;
  if (turn.go && !interruptedEarly) {
    started = startPing(plan.alerts, run.id);
    // The test suite's stand-in for a library throwing from a timer while the job runs.
    if (ctx.env['CRONGUARD_TEST_FAULT'] === 'run-stray-error') setImmediate(() => { throw new Error('injected fault: run-stray-error'); });
    const outcome = await executeRun(plan, run, { spawn: spawnCommand, clock, interrupts, recorder, random: Math.random });
    exitCode = outcome.exitCode;
    // Said on stderr (so cron mails it): a success that --fail-on-output could not confirm is not silent.
    if (outcome.uncheckedOutput) warn(`--fail-on-output could not check all of the output (${outcome.uncheckedOutput}): the run counts as a success`);
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
  recorder.relax();
  // From here on the job's outcome is known: the report goes out first, so cron mails it whatever happens
  // to the notifications after it.
  let built: Buffer | undefined;
  const report = () => (built ??= failureReport(run, exitCode));
  const waitedInVain = !turn.go && turn.inVain === true;
  // With --tee the output already went out live: the report then leaves it out.
  if (run.status !== 'success' && (run.status !== 'skipped' || waitedInVain)) ctx.stdout(plan.tee ? failureReport(run, exitCode, true) : report());
  // Nothing of ours may change the job's exit code, except a signal that stops the delivery.
  const delivering = catchInterrupts();
  const stoppedBy = await settleAlertsUnlessInterrupted({ run, exitCode, alerts: plan.alerts, store: recorder.healthy, env: ctx.env, started, warn, report }, delivering);
  delivering.dispose();
  if (stoppedBy) {
    warn(`received ${stoppedBy} while delivering notifications: stopped them, the undelivered stay queued`);
    exitCode = signalExitCode(stoppedBy);
  }
  try {
    (await recording).store?.close();
  } catch {
    // Closing can only fail on a database already reported broken.
  }
  stopSurviving();
  return exitCode;
};
