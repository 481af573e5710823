import { CronExpressionParser } from 'cron-parser';
import { badOption, describeError } from '../shared/errors.ts';
import { CRON_ALIASES, parseCronFields } from './fields.ts';

/**
 * Refuses a schedule cron would not run: 5 fields, 6 with seconds first, an alias, or @reboot. Sweep's own
 * parser must accept it (so every recorded schedule is one sweep can check: no L, W or #), and so must
 * cron-parser.
 */
export function checkSchedule(option: string, expression: string, zone: string | null): void {
  const text = expression.trim();
  if (text.toLowerCase() === '@reboot') return;
  const ours = parseCronFields(text, true);
  if (typeof ours === 'string') {
    throw badOption(option, expression, `${ours} (5 cron fields, 6 with seconds first, or @hourly, @daily, @weekly, @monthly, @yearly, @reboot)`);
  }
  try {
    CronExpressionParser.parse(CRON_ALIASES[text.toLowerCase()] ?? text, zone ? { tz: zone, strict: false } : { strict: false });
  } catch (error) {
    throw badOption(option, expression, `not a cron schedule (${describeError(error)})`);
  }
}
