import { durationMs, formatDuration } from '../shared/duration.ts';
import type { Channel } from '../shared/channel.ts';
import { badOption, describeError } from '../shared/errors.ts';
import { NOTIFY, RUN } from '../shared/options.ts';
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

/**
 * Resolves --notify-command, --notify-url, --notify-format and --ping, with CRONGUARD_NOTIFY_* and
 * CRONGUARD_PING_URL as the defaults a run line's options replace. Each URL and command may be given as
 * `@/path` of a file only its owner can read (SPEC §9). A bad option is refused (exit 125); a bad
 * environment variable (an unsafe secret file too) only warns and is ignored, because it would otherwise
 * stop every job of the crontab.
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
      warnings.push(`${describeError(error)} (environment variable ignored)`);
      return null;
    }
  };
  const given = options['notify-format'];
  const format = typeof given === 'string'
    ? checkFormat('--notify-format', given)
    : fromEnv(NOTIFY.format.env, (v) => checkFormat(NOTIFY.format.env, v)) ?? checkFormat('--notify-format', NOTIFY.format.default);
  const urls = list('notify-url').map((u) => NOTIFY.url.parse(u, '--notify-url'));
  const commands = list('notify-command').map((c) => NOTIFY.command.parse(c, '--notify-command'));
  if (urls.length === 0 && commands.length === 0) {
    const url = fromEnv(NOTIFY.url.env, (v) => NOTIFY.url.parse(v, NOTIFY.url.env));
    if (url) urls.push(url);
    const command = fromEnv(NOTIFY.command.env, (v) => (v.trim() === '' ? null : NOTIFY.command.parse(v, NOTIFY.command.env)));
    if (command) commands.push(command);
  }
  const ping = typeof options['ping'] === 'string'
    ? RUN.ping.parse(options['ping'], '--ping')
    : fromEnv(RUN.ping.env, (v) => RUN.ping.parse(v, RUN.ping.env));
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
