import type { ParsedArgs } from '../shared/argv.ts';
import { parseCount } from '../shared/count.ts';
import { MAX_TIMER_MS, parseDuration } from '../shared/duration.ts';
import { badOption, CronguardError } from '../shared/errors.ts';
import { derivedName, JOB_NAME } from '../shared/job-name.ts';
import { parseSize } from '../shared/size.ts';
import { refuseNonUtf8 } from '../shared/utf8-only.ts';
import type { OverlapMode } from '../runner/overlap.ts';
import type { RetryOn, RunPlan } from '../runner/run.ts';
import type { AttemptChecks } from '../runner/checks.ts';
import { notifySettings, type NotifySettings } from '../notify/settings.ts';


/** What the run command does around the runner: notifications, pings, and warnings about their settings. */
export interface AlertPlan {
  settings: NotifySettings;
  alertAfter: number;
  warnings: string[];
}

/** The run line's options, checked and converted; anything wrong is refused before the command runs. */
export async function resolveRunPlan(args: ParsedArgs, env: NodeJS.ProcessEnv): Promise<RunPlan & { overlap: OverlapMode; alerts: AlertPlan }> {
  const o = args.options;
  const str = (name: string): string | undefined => (typeof o[name] === 'string' ? (o[name] as string) : undefined);
  const argv = args.positionals;
  if (argv.length === 0 || argv[0] === '') throw new CronguardError('missing the command to run (usage: cronguard [options] -- COMMAND [ARGS...])');
  refuseNonUtf8([...argv, ...Object.values(o).filter((v): v is string => typeof v === 'string')], env);
  const name = str('name');
  if (name !== undefined && !JOB_NAME.test(name)) throw badOption('--name', name, 'expected 1-128 characters of A-Z a-z 0-9 . _ -');
  const duration = (option: string, fallback: string | null, min = 0): number | null => {
    const text = str(option) ?? fallback;
    // Every run-mode duration ends up in a timer (or a comparison with one): longer ones are refused.
    return text === null ? null : parseDuration(`--${option}`, text, min, MAX_TIMER_MS);
  };
  const overlap = str('overlap') ?? 'allow';
  if (!['allow', 'skip', 'wait'].includes(overlap)) throw badOption('--overlap', overlap, 'expected allow, skip or wait');
  const { settings, warnings } = notifySettings(o, env);
  const alertAfter = parseCount('--alert-after', str('alert-after') ?? '1', 1, 1_000_000);
  return {
    job: name ?? derivedName(argv),
    argv,
    timeoutMs: duration('timeout', null, 1),
    killAfterMs: duration('kill-after', '10s') as number,
    retries: parseCount('--retries', str('retries') ?? '0', 0, 100),
    retryDelayMs: duration('retry-delay', '5s') as number,
    retryMaxDelayMs: duration('retry-max-delay', '5m') as number,
    retryOn: parseRetryOn(str('retry-on')),
    heartbeatMs: duration('heartbeat', '30s', 1000) as number,
    outputLimit: parseSize('--output-limit', str('output-limit') ?? '1MiB', 0, 1024 ** 3),
    schedule: await resolveSchedule(str('schedule'), str('tz'), duration('grace', '5m') as number, env),
    tee: null,
    checks: parseChecks(duration('min-duration', null), str('fail-on-output')),
    overlap: overlap as OverlapMode,
    alerts: { settings, alertAfter, warnings },
  };
}

/** --retry-on: exit codes (1-255) and/or "timeout"; absent means every failure. */
export function parseRetryOn(text: string | undefined): RetryOn | null {
  if (text === undefined) return null;
  const codes = new Set<number>();
  let timeout = false;
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === 'timeout') timeout = true;
    else if (/^\d+$/.test(item) && Number(item) >= 1 && Number(item) <= 255) codes.add(Number(item));
    else throw badOption('--retry-on', text, `${JSON.stringify(item)} is neither an exit code (1-255) nor "timeout"`);
  }
  return { codes, timeout };
}

/** --min-duration and --fail-on-output; an invalid regular expression is refused. */
export function parseChecks(minDurationMs: number | null, failOnOutput: string | undefined): AttemptChecks | null {
  if (minDurationMs === null && failOnOutput === undefined) return null;
  let regex: RegExp | null = null;
  if (failOnOutput !== undefined) {
    if (failOnOutput === '') throw badOption('--fail-on-output', failOnOutput, 'expected a regular expression');
    try {
      regex = new RegExp(failOnOutput);
    } catch (error) {
      throw badOption('--fail-on-output', failOnOutput, `not a valid regular expression (${(error as Error).message})`);
    }
  }
  return { minDurationMs, failOnOutput: regex };
}

/** The job's declared schedule, checked with cron-parser (loaded only when a schedule is given). */
async function resolveSchedule(schedule: string | undefined, tz: string | undefined, graceMs: number, env: NodeJS.ProcessEnv) {
  if (schedule === undefined && tz === undefined) return null;
  const { isKnownZone } = await import('../schedule/zone.ts');
  if (tz !== undefined && !isKnownZone(tz)) throw badOption('--tz', tz, 'not a known IANA time zone (e.g. Europe/Berlin, UTC)');
  if (schedule === undefined) return null;
  // cron-parser (with luxon) is loaded only by runs that declare a schedule.
  const { checkSchedule } = await import('../schedule/cron.ts');
  const zone = tz ?? [env['CRON_TZ'], env['TZ']].find((z) => z && isKnownZone(z)) ?? null;
  checkSchedule('--schedule', schedule, zone);
  return { schedule: schedule.trim(), tz: zone, graceMs };
}
