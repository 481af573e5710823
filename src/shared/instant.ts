import { badOption } from './errors.ts';

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** An ISO-8601 date or date-time option; local time unless it carries an offset (SPEC §6). */
export function parseInstant(option: string, text: string): Date {
  const m = ISO.exec(text.trim());
  if (!m) throw badOption(option, text, 'expected an ISO-8601 time such as 2026-03-08T03:00, 2026-03-08T03:00:00Z or 2026-03-08');
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '0', zone] = m;
  const parts = [Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), Number(frac.padEnd(3, '0'))] as const;
  const wall = Date.UTC(...parts);
  const check = new Date(wall);
  if (check.getUTCMonth() !== parts[1] || check.getUTCDate() !== parts[2] || parts[3] > 23 || parts[4] > 59 || parts[5] > 59) {
    throw badOption(option, text, 'no such date or time');
  }
  if (zone === undefined) return new Date(...parts);
  if (zone.toUpperCase() === 'Z') return new Date(wall);
  const [, sign, oh = '0', om = '0'] = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone) ?? [];
  return new Date(wall - (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000);
}
