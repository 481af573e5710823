import type { CommandMain } from '../cli/context.ts';
import { Recorder } from '../runner/recorder.ts';
import { catchInterrupts } from '../runner/interrupts.ts';
import { executeRun, newRun } from '../runner/run.ts';
import { spawnCommand } from '../runner/spawn.ts';
import { describeError } from '../shared/errors.ts';
import { systemClock } from '../shared/time.ts';
import { openSqliteStore } from '../store/sqlite/index.ts';
import { ingestSpool } from '../store/spool.ts';
import type { Store } from '../store/store.ts';
import { failureReport } from '../report/failure.ts';
import { dbPathOf } from './db-path.ts';
import { resolveRunPlan } from './run-plan.ts';

/** `cronguard [run] [options] -- COMMAND`: everything up to the spawn is checked; after it, nothing of ours may fail the job. */
export const runMain: CommandMain = async (args, ctx) => {
  const plan = await resolveRunPlan(args, ctx.env);
  if (args.options['tee']) plan.tee = (chunk) => ctx.stdout(chunk);
  const dbPath = dbPathOf(args, ctx);
  const interrupts = catchInterrupts();
  const warn = (message: string) => ctx.stderr(`cronguard: ${message}\n`);

  let store: Store | null = null;
  let openFailure: string | null = null;
  try {
    store = openSqliteStore(dbPath, false);
  } catch (error) {
    openFailure = describeError(error);
  }
  if (store) {
    try {
      await ingestSpool(store);
    } catch (error) {
      warn(`could not ingest the spool beside ${dbPath}: ${describeError(error)}`);
    }
  }
  const recorder = new Recorder(store, dbPath, ctx.stderr, openFailure);
  const clock = systemClock;
  const run = newRun(plan, clock.now());
  await recorder.begin(run, plan.schedule);
  const outcome = await executeRun(plan, run, { spawn: spawnCommand, clock, interrupts, recorder, random: Math.random });
  interrupts.dispose();
  try {
    store?.close();
  } catch {
    // Closing can only fail on a database already reported broken.
  }
  if (outcome.run.status !== 'success' && outcome.run.status !== 'skipped') {
    ctx.stdout(failureReport(outcome.run, outcome.exitCode));
  }
  return outcome.exitCode;
};
