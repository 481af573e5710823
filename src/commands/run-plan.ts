import type { ParsedArgs } from '../shared/argv.ts';
import { badOption, CronguardError } from '../shared/errors.ts';
import { derivedName } from '../shared/job-name.ts';
import { refuseNonUtf8 } from '../shared/utf8-only.ts';
import { optionValue } from '../shared/option-values.ts';
import { RUN } from '../shared/options.ts';
import type { OverlapMode } from '../shared/types.ts';
import type { RunPlan } from '../runner/run.ts';
import { notifySettings, type NotifySettings } from '../notify/settings.ts';
import { mistypedCommand } from './typo.ts';

/** What the run command does around the runner: notifications, pings, and warnings about their settings. */
export interface AlertPlan {
  settings: NotifySettings;
  alertAfter: number;
  warnings: string[];
}

/** The run line's options, checked and converted by the option table; anything wrong is refused before the command runs. */
export async function resolveRunPlan(args: ParsedArgs, env: NodeJS.ProcessEnv): Promise<RunPlan & { overlap: OverlapMode; once: boolean; alerts: AlertPlan }> {
  const argv = args.positionals;
  if (argv.length === 0 || argv[0] === '') throw new CronguardError('missing the command to run (usage: cronguard [options] -- COMMAND [ARGS...])');
  const typo = mistypedCommand(args, env);
  if (typo) throw typo;
  refuseNonUtf8([...argv, ...Object.values(args.options).filter((v): v is string => typeof v === 'string')], env);
  const name = optionValue(args, RUN.name);
  const overlap = optionValue(args, RUN.overlap);
  const once = args.options['once'] === true;
  if (once && optionValue(args, RUN.schedule) === undefined) throw new CronguardError('--once needs --schedule: the scheduled start it claims is the one nearest to now');
  const { settings, warnings } = notifySettings(args.options, env);
  const alertAfter = optionValue(args, RUN.alertAfter);
  const minDurationMs = optionValue(args, RUN.minDuration) ?? null;
  const failOnOutput = optionValue(args, RUN.failOnOutput) ?? null;
  return {
    job: name ?? derivedName(argv),
    argv,
    timeoutMs: optionValue(args, RUN.timeout) ?? null,
    killAfterMs: optionValue(args, RUN.killAfter),
    retries: optionValue(args, RUN.retries),
    retryDelayMs: optionValue(args, RUN.retryDelay),
    retryMaxDelayMs: optionValue(args, RUN.retryMaxDelay),
    retryOn: optionValue(args, RUN.retryOn) ?? null,
    heartbeatMs: optionValue(args, RUN.heartbeat),
    outputLimit: optionValue(args, RUN.outputLimit),
    schedule: await resolveSchedule(optionValue(args, RUN.schedule), optionValue(args, RUN.tz), optionValue(args, RUN.grace), env),
    tee: null,
    checks: minDurationMs === null && failOnOutput === null ? null : { minDurationMs, failOnOutput },
    overlap,
    once,
    alerts: { settings, alertAfter, warnings },
  };
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
