import { existsSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ParsedArgs } from '../shared/argv.ts';
import type { CliContext, CommandMain } from './context.ts';
import { notifySettings } from '../notify/settings.ts';
import { sweepJson, sweepText, watcherText } from '../report/sweep.ts';
import { makeStyle } from '../report/style.ts';
import { bootTimeMs } from '../schedule/boot.ts';
import { detectCron } from '../schedule/cron-flavour.ts';
import { readCrontabs } from '../schedule/discover.ts';
import { CronguardError, describeError, EXIT } from '../shared/errors.ts';
import { neutraliseLine, safeFields } from '../shared/neutralise.ts';
import { listValues, optionGiven, optionValue } from '../shared/option-values.ts';
import { SWEEP } from '../shared/options.ts';
import { hostName, isGroupAlive, isProcessAlive } from '../shared/proc.ts';
import { iso, nowMs } from '../shared/time.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { decideSweep, type SweepOutcome } from '../sweep/evaluate.ts';
import type { CrontabSeen, SweepSnapshot } from '../shared/sweep-model.ts';
import { crontabJobsFor, sweepLinesFor } from '../sweep/sources.ts';
import type { StoreTarget } from '../store/target.ts';
import { storeTargetOf } from './store-target.ts';
import { withStore } from './forensics.ts';

/**
 * `cronguard sweep`: judges every job and run, reports what is new or resolved (quiet otherwise, as cron
 * mails any output), and exits 1 when it reported something.
 */
export const sweepMain: CommandMain = async (args, ctx) => {
  const o = args.options;
  const at = optionValue(args, SWEEP.at) ?? ctx.clock.now();
  const limits = { staleMs: optionValue(args, SWEEP.stale) ?? null, maxRuntimeMs: optionValue(args, SWEEP.maxRuntime) ?? null };
  const { settings, warnings: settingWarnings } = notifySettings(o, ctx.env);
  for (const w of settingWarnings) ctx.stderr(`cronguard: ${w}\n`);
  const target = storeTargetOf(args, ctx);
  const reading = await readCrontabs({
    files: optionGiven(args, SWEEP.crontab) ? listValues(args, SWEEP.crontab) : null, uid: ctx.uid, home: ctx.home, env: ctx.env,
    flavour: detectCron(optionValue(args, SWEEP.cron) ?? null).flavour,
  });
  const host = optionValue(args, SWEEP.host);
  // The crontabs read here are this host's: another host's part is judged by the lines its own sweeps recorded.
  const mine = host === undefined || host === hostName();
  const user = currentUser(ctx.env);
  const crontab = mine ? crontabJobsFor(reading, target, user) : [];
  const sweepLines = mine ? sweepLinesFor(reading, target, user) : [];
  const decide = (snapshot: SweepSnapshot) => decideSweep(snapshot, {
    at: at.getTime(), ...limits, bootMs: bootTimeMs(), crontabWarnings: mine ? reading.warnings : [], byHand: ctx.byHand, sweepLines,
    liveness: { wrapper: isProcessAlive, group: isGroupAlive },
  });
  // Looking changes nothing (SPEC §4): --all, --at and --dry-run read, judge and print; no state, no notification.
  // --host is a look too, listing every current problem of that host (as --all): problems are kept per job
  // across the fleet, so a sweep that judged one host's part could not tell that a problem is gone.
  if (host !== undefined) return look(target, iso(at), crontab, decide, { ...o, all: true }, ctx, host);
  if (o['all'] === true || o['dry-run'] === true || optionGiven(args, SWEEP.at)) return look(target, iso(at), crontab, decide, o, ctx);
  let swept: { store: Store; outcome: SweepOutcome };
  try {
    swept = await sweepDatabase(target, iso(at), crontab, decide, ctx.stderr);
  } catch (error) {
    // The dead-man switch hears of sweep's own failure too.
    if (settings.ping) await (await import('../notify/sweep.ts')).pingSweep(settings.ping, EXIT.internal, describeError(error), nowMs() + settings.timeoutMs);
    throw error;
  }
  const { store, outcome } = swept;
  try {
    // Tests only: die between deciding and printing, as a crash would (the news must survive it).
    if (ctx.env['CRONGUARD_TEST_FAULT'] === 'sweep-before-report') throw new Error('injected fault: sweep-before-report');
    const { code, printed } = reportSweep(outcome, iso(at), o, ctx);
    // Only once the report is out does its news count as told.
    await ctx.drain();
    if (ctx.env['CRONGUARD_TEST_FAULT'] === 'sweep-hold-report') await heldForTest(ctx.env['CRONGUARD_TEST_GATE'] ?? '');
    await store.sweep.markReported(iso(at), { reported: outcome.reported, resolved: outcome.resolved });
    if (settings.channels.length > 0 || settings.ping) {
      const { notifySweep } = await import('../notify/sweep.ts');
      const warning = await notifySweep({
        current: outcome.current, transient: outcome.transient, settings, store, env: ctx.env, at: iso(at), exitCode: code, summary: printed,
      });
      if (warning) ctx.stderr(`cronguard: ${warning}\n`);
    }
    const html = optionValue(args, SWEEP.html);
    if (html !== undefined && !(await regenerateReport(store, html, at, ctx))) return EXIT.internal;
    return code;
  } finally {
    store.close();
  }
};

/**
 * `sweep --html FILE`: the report of the last 30 days, written after the sweep so one crontab line keeps
 * it current. Its failure is the sweep's own trouble (one line, exit 125), but the sweep is already done.
 */
async function regenerateReport(store: Store, file: string, at: Date, ctx: CliContext): Promise<boolean> {
  try {
    const { publishReport, reportHtml } = await import('./report.ts');
    const since = new Date(at.getTime() - REPORT_DAYS * 86_400_000);
    publishReport(file, await reportHtml(store, since, at), '--html', ctx.stdout);
    return true;
  } catch (error) {
    ctx.stderr(`cronguard: the sweep is done, but its report is not: ${describeError(error)}\n`);
    return false;
  }
}

/**
 * Tests only: a slow report, held between printing and markReported until the file `gate` exists (its
 * `.held` beside it says the sweep is waiting): another host's sweep must keep waiting for it meanwhile.
 */
async function heldForTest(gate: string): Promise<void> {
  writeFileSync(`${gate}.held`, '', { flag: 'wx' }); // never through a planted link
  while (!existsSync(gate)) await sleep(50);
}

/** How many days `sweep --html` reports: the default of `cronguard report`. */
const REPORT_DAYS = 30;

/**
 * sweep --all / --dry-run / --at / --host: what a sweep would say (now, or at --at's time), from a read-only
 * look (nothing recorded yet: the crontabs alone); with a host, of that host's part only.
 */
async function look(
  target: StoreTarget, at: string, crontab: CrontabSeen[], decide: (snapshot: SweepSnapshot) => SweepOutcome,
  o: ParsedArgs['options'], ctx: CliContext, host?: string,
): Promise<number> {
  const store = await openStore(target, 'read');
  const outcome = store === null
    ? decide({ running: [], open: [], sweeps: [], previousWarnings: [], jobs: crontab.map((c) => ({
      job: c.name, recorded: null, crontab: c.schedules, firstSeenAt: at, last: null, lastFinished: null, failed: null, streak: { count: 0, since: null },
    })) })
    : await withStore(store, 'read', (s) => s.sweep.look(at, crontab, decide, host));
  // One host's part cannot tell that a problem is gone: another host may still have it.
  return reportSweep(host === undefined ? outcome : { ...outcome, resolved: [] }, at, o, ctx).code;
}

/** Prints what the sweep found (quiet when nothing is new) and returns its exit code and the printed text. */
function reportSweep(outcome: SweepOutcome, at: string, o: ParsedArgs['options'], ctx: CliContext): { code: number; printed: string } {

  const all = o['all'] === true;
  let printed = '';
  const problems = all ? outcome.current : outcome.reported;
  const warnings = all ? outcome.warnings : outcome.newWarnings;
  for (const w of warnings) ctx.stderr(`cronguard: ${neutraliseLine(w)}\n`);
  const news = problems.length > 0 || outcome.resolved.length > 0 || outcome.watcher.late;
  if (o['json']) {
    printed = sweepJson(at, problems, outcome.resolved);
    if (outcome.watcher.late) ctx.stderr(`${watcherText(at, safeFields(outcome.watcher))}\n`);
  } else if (news || all) {
    const fresh = new Set(outcome.reported);
    const marked = problems.map((p) => ({ ...p, fresh: fresh.has(p) }));
    printed = sweepText(at, safeFields(marked), safeFields(outcome.resolved), safeFields(outcome.watcher), makeStyle(ctx.stdoutIsTTY, ctx.env));
  }
  if (printed) ctx.stdout(printed);
  return { code: news || warnings.length > 0 ? EXIT.failure : EXIT.ok, printed };
}

/** Opens the store for writing (taking in the spool), sweeps in one transaction, then maintains it; the caller closes the store. */
async function sweepDatabase(
  target: StoreTarget, at: string, crontab: CrontabSeen[],
  decide: (snapshot: SweepSnapshot) => SweepOutcome, stderr: (text: string) => void,
): Promise<{ store: Store; outcome: SweepOutcome }> {
  const store = await openStore(target, 'write', (message) => stderr(`cronguard: ${message}\n`));
  try {
    const outcome = await store.sweep.sweep(at, crontab, decide);
    // Housekeeping: when other sweeps or runs hold the database right now, the next sweep does it.
    await store.maintain().catch(() => undefined);
    return { store, outcome };
  } catch (error) {
    store.close();
    if (error instanceof CronguardError) throw error;
    throw new CronguardError(`database ${store.describe()}: ${describeError(error)}`, EXIT.internal, { cause: error });
  }
}

/** The user this sweep runs as: its system-crontab lines are the ones that record here. */
function currentUser(env: NodeJS.ProcessEnv): string {
  try {
    return userInfo().username;
  } catch {
    return env['LOGNAME'] ?? env['USER'] ?? '';
  }
}
