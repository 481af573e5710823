import { homedir } from 'node:os';
import { isatty } from 'node:tty';
import { neutralise } from '../shared/neutralise.ts';
import type { ParsedArgs } from '../shared/argv.ts';
import { parseArgs } from '../shared/argv.ts';
import type { CliContext, CommandMain } from '../commands/context.ts';
import { badOption, CronguardError, describeError, EXIT } from '../shared/errors.ts';
import { useHostName } from '../shared/proc.ts';
import { systemClock, type Clock } from '../shared/time.ts';
import type { CommandName } from '../shared/options.ts';

declare const CRONGUARD_VERSION: string;

/** What CRONGUARD_HOST may be: a host name's characters (it is shown in reports and names spool claims). */
const HOST_NAME = /^[A-Za-z0-9._-]{1,253}$/;

/** Each command's module, imported only when that command runs, so a cron tick loads the run path alone. */
const COMMAND_MODULES: Record<CommandName, () => Promise<CommandMain>> = {
  run: async () => (await import('../commands/run.ts')).runMain,
  sweep: async () => (await import('../commands/sweep.ts')).sweepMain,
  history: async () => (await import('../commands/history.ts')).historyMain,
  show: async () => (await import('../commands/show.ts')).showMain,
  status: async () => (await import('../commands/status.ts')).statusMain,
  stats: async () => (await import('../commands/stats.ts')).statsMain,
  prune: async () => (await import('../commands/prune.ts')).pruneMain,
  report: async () => (await import('../commands/report.ts')).reportMain,
  forget: async () => (await import('../commands/forget.ts')).forgetMain,
  metrics: async () => (await import('../commands/metrics.ts')).metricsMain,
  completion: async () => (await import('../commands/completion.ts')).completionMain,
};

/** Parses, dispatches, and turns every error into one `cronguard:` line and an exit code. */
async function main(context: CliContext): Promise<number> {
  let ctx = context;
  let args: ParsedArgs;
  try {
    args = parseArgs(ctx.argv);
    const host = ctx.env['CRONGUARD_HOST'];
    if (host) {
      if (!HOST_NAME.test(host)) throw badOption('CRONGUARD_HOST', host, 'expected 1-253 characters of A-Z a-z 0-9 . _ -');
      useHostName(host);
    }
    const testNow = ctx.env['CRONGUARD_TEST_NOW'];
    if (testNow !== undefined) ctx = { ...ctx, clock: await testClock(testNow) };
    if (args.version) {
      ctx.stdout(`${CRONGUARD_VERSION}\n`);
      return EXIT.ok;
    }
    if (args.options['help']) {
      const { helpText } = await import('./help.ts');
      ctx.stdout(await helpText(args.command, process.stdout.columns ?? 80));
      return EXIT.ok;
    }
    const command = await COMMAND_MODULES[args.command]();
    return await command(args, ctx);
  } catch (error) {
    if (ctx.env['CRONGUARD_DEBUG']) ctx.stderr(`${(error as Error)?.stack ?? String(error)}\n`);
    if (error instanceof CronguardError) {
      ctx.stderr(`cronguard: ${error.message}\n`);
      return error.exitCode;
    }
    ctx.stderr(`cronguard: internal error: ${describeError(error)} (CRONGUARD_DEBUG=1 shows where)\n`);
    return EXIT.internal;
  }
}

/**
 * The test suite's clock (CRONGUARD_TEST_NOW=ISO time): sweep judges and records as if it read that time, so
 * tests can step through days. Only this invocation's environment sets it: cron gives root's sweep the
 * environment of root's crontab and of /etc/crontab and /etc/cron.d (files only root writes), so no other
 * user can move what root's sweep records. Use `sweep --at` to look at another time without writing.
 */
async function testClock(text: string): Promise<Clock> {
  const { parseInstant } = await import('../shared/instant.ts');
  const fixed = parseInstant('CRONGUARD_TEST_NOW', text);
  return { now: () => new Date(fixed) };
}

const ctx: CliContext = {
  clock: systemClock,
  argv: process.argv.slice(2),
  env: process.env,
  uid: process.getuid?.() ?? -1,
  home: process.env['HOME'] || homedir(),
  stdoutIsTTY: process.stdout.isTTY === true,
  stdoutColumns: process.stdout.isTTY === true ? process.stdout.columns : undefined,
  byHand: isatty(0) || isatty(1),
  stdout: (data) => void process.stdout.write(data),
  // Everything cronguard itself says on stderr passes the one neutraliser (SPEC §9): a message that quotes
  // a stored or given value can never drive the terminal. (The command's own output never goes this way.)
  stderr: (data) => void process.stderr.write(typeof data === 'string' ? neutralise(data) : data),
  drain: () => new Promise((resolve) => {
    if (!process.stdout.writableNeedDrain) return resolve();
    // A reader that went away never drains: end the wait then too.
    const done = () => { process.stdout.off('drain', done).off('close', done).off('error', done); resolve(); };
    process.stdout.on('drain', done).on('close', done).on('error', done);
  }),
};
// A closed stdout (the reader went away) must not crash the wrapper mid-run.
process.stdout.on('error', () => {});
process.stderr.on('error', () => {});
void main(ctx).then((code) => {
  process.exitCode = code;
  // Leftover handles (a pipe held by a leftover process) must not keep cronguard alive once it is done.
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
});
