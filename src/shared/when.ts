import { durationMs } from './duration.ts';
import { badOption } from './errors.ts';

// 2024-05-01, 2024-05-01T10:00, 2024-05-01 10:00:30.250, each optionally with Z or an offset (+02:00, -0530).
const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
const HINT = 'expected a duration ago (90m, 7d, 1h30m) or an ISO-8601 date (2024-05-01, 2024-05-01T10:00, with Z or +02:00 for a zone other than local)';

/**
 * The instant a --since/--until value names, as stored (UTC ISO-8601): a duration means that long
 * before `now`; a date or date-time is local time unless it carries Z or an offset.
 */
export function parseWhen(option: string, text: string, now: Date): string {
  const trimmed = text.trim();
  const ago = durationMs(trimmed);
  if (ago !== undefined) {
    const at = now.getTime() - ago;
    // Dates stop at ±100,000,000 days: a duration reaching further back names no instant.
    if (!Number.isFinite(new Date(at).getTime())) throw badOption(option, text, 'too far back to name a date');
    return new Date(at).toISOString();
  }
  const date = parseDate(option, trimmed);
  if (date === null) throw badOption(option, text, HINT);
  return date;
}

/**
 * An ISO-8601 date or date-time as stored (UTC), local time unless it carries Z or an offset; null when
 * the text is not shaped like one, an error naming the option when it names no real time.
 */
export function parseDate(option: string, text: string): string | null {
  const m = DATE.exec(text);
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  // Date.UTC rolls 2024-02-30 over into March: a field that changed means no such date or time.
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  if (utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) {
    throw badOption(option, text, 'no such date or time');
  }
  const zone = m[8];
  // Without a zone it is local time (a time inside a daylight-saving gap moves forward, as the clock did).
  if (zone === undefined) return new Date(year, month - 1, day, hour, minute, second, ms).toISOString();
  const offset = offsetMs(zone);
  if (Math.abs(offset) > 14 * 3_600_000) throw badOption(option, text, `no such UTC offset ${zone}`);
  return new Date(utc.getTime() - offset).toISOString();
}

/** Milliseconds east of UTC in "Z", "+02", "+0200" or "-05:30". */
function offsetMs(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutesPart = Number(digits.slice(2) || '0');
  // An impossible minute count makes the offset impossible too (refused by the caller's range check).
  const minutes = minutesPart > 59 ? Infinity : Number(digits.slice(0, 2)) * 60 + minutesPart;
  return (zone[0] === '-' ? -1 : 1) * minutes * 60_000;
}
