import { CronExpressionParser } from 'cron-parser';
import { badOption } from '../shared/errors.ts';

/** The @-aliases cron understands besides @reboot, as the 5-field expressions they stand for. */
export const CRON_ALIASES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** Whether a time zone name is one the runtime knows (IANA). */
export function isKnownZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Refuses a schedule cron would not run: 5 fields, 6 with seconds first, an alias, or @reboot. */
export function checkSchedule(option: string, expression: string, zone: string | null): void {
  const text = expression.trim();
  if (text === '@reboot') return;
  const fields = CRON_ALIASES[text] ?? text;
  if (!text.startsWith('@') && ![5, 6].includes(fields.split(/\s+/).length)) {
    throw badOption(option, expression, 'expected 5 cron fields (6 with seconds first), or @hourly, @daily, @weekly, @monthly, @yearly, @reboot');
  }
  try {
    CronExpressionParser.parse(fields, zone ? { tz: zone, strict: false } : { strict: false });
  } catch (error) {
    throw badOption(option, expression, `not a cron schedule (${(error as Error).message})`);
  }
}
