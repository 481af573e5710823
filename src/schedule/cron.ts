import { CronExpressionParser } from 'cron-parser';
import { badOption } from '../shared/errors.ts';
import { CRON_ALIASES } from './fields.ts';

export { isKnownZone } from './zone.ts';

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
