import { durationMs, formatDuration } from '../shared/duration.ts';
import type { Channel } from '../shared/channel.ts';
import { badOption } from '../shared/errors.ts';
import { httpUrl } from '../shared/option-parse.ts';
import { NOTIFY } from '../shared/options.ts';
import type { NotifyFormat } from '../shared/types.ts';

export type { Channel, NotifyFormat };

/** The notification options of a run line or a sweep, checked. */
export interface NotifySettings {
  channels: Channel[];
  /** healthchecks.io-style ping URL, or null. */
  ping: string | null;
  /** The delivery timeout: every notification and ping of one cronguard is done within it. */
  timeoutMs: number;
}

/** The delivery timeout when CRONGUARD_NOTIFY_TIMEOUT does not say: also its upper bound. */
export const NOTIFY_TIMEOUT_MS = 10_000;

/** Checks a URL option: absolute http(s) only (the option table's parser). */
export const checkUrl = (option: string, value: string): string => httpUrl(value, option);

/**
 * Resolves --notify-command, --notify-url, --notify-format and --ping, with CRONGUARD_NOTIFY_* as the
 * global defaults a run line's options replace. A bad option is refused (exit 125); a bad environment
 * variable only warns and is ignored, because it would otherwise stop every job of the crontab.
 */
export function notifySettings(options: Record<string, string | boolean | string[]>, env: NodeJS.ProcessEnv): { settings: NotifySettings; warnings: string[] } {
  const warnings: string[] = [];
  const list = (name: string): string[] => (Array.isArray(options[name]) ? (options[name] as string[]) : []);
  const fromEnv = <T>(name: string, check: (value: string) => T): T | null => {
    const value = env[name];
    if (!value) return null;
    try {
      return check(value);
    } catch (error) {
      warnings.push(`${(error as Error).message} (environment variable ignored)`);
      return null;
    }
  };
  const given = options['notify-format'];
  const format = typeof given === 'string'
    ? checkFormat('--notify-format', given)
    : fromEnv(NOTIFY.format.env, (v) => checkFormat(NOTIFY.format.env, v)) ?? checkFormat('--notify-format', NOTIFY.format.default);
  const urls = list('notify-url').map((u) => checkUrl('--notify-url', u));
  const commands = list('notify-command').map((c) => NOTIFY.command.parse(c, '--notify-command'));
  if (urls.length === 0 && commands.length === 0) {
    const url = fromEnv('CRONGUARD_NOTIFY_URL', (v) => checkUrl('CRONGUARD_NOTIFY_URL', v));
    if (url) urls.push(url);
    if (env['CRONGUARD_NOTIFY_COMMAND']?.trim()) commands.push(env['CRONGUARD_NOTIFY_COMMAND']);
  }
  const ping = typeof options['ping'] === 'string' ? checkUrl('--ping', options['ping']) : null;
  const timeoutMs = fromEnv('CRONGUARD_NOTIFY_TIMEOUT', checkTimeout) ?? NOTIFY_TIMEOUT_MS;
  const channels: Channel[] = [
    ...commands.map((command): Channel => ({ kind: 'command', command })),
    ...urls.map((url): Channel => ({ kind: 'url', url, format })),
  ];
  return { settings: { channels, ping, timeoutMs }, warnings };
}

/** --notify-format (or its variable): one of the table's choices. */
const checkFormat = (option: string, value: string): NotifyFormat => NOTIFY.format.parse(value, option);

/** CRONGUARD_NOTIFY_TIMEOUT: a duration from 100ms to the 10s cap. */
function checkTimeout(value: string): number {
  const ms = durationMs(value);
  if (ms === undefined || ms < 100 || ms > NOTIFY_TIMEOUT_MS) {
    throw badOption('CRONGUARD_NOTIFY_TIMEOUT', value, `expected a duration from 100ms to ${formatDuration(NOTIFY_TIMEOUT_MS)}`);
  }
  return ms;
}
