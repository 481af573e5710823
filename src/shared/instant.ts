import { badOption } from './errors.ts';
import { parseDate } from './when.ts';

/** An ISO-8601 date or date-time option (sweep --at); local time unless it carries an offset (SPEC §6). */
export function parseInstant(option: string, text: string): Date {
  const date = parseDate(option, text.trim());
  if (date === null) throw badOption(option, text, 'expected an ISO-8601 time such as 2026-03-08T03:00, 2026-03-08T03:00:00Z or 2026-03-08');
  return new Date(date);
}
