import { formatDuration } from './duration.ts';
import { neutraliseLine } from './neutralise.ts';
import { isStoredDuration, storedMs, writtenMs } from './stored.ts';

/** 0 to 99 as two digits, made once: tables format thousands of times. */
const TWO_DIGITS = Array.from({ length: 100 }, (_, n) => (n < 10 ? `0${n}` : String(n)));
/** Two digits, zero-padded. */
const two = (n: number): string => TWO_DIGITS[Math.trunc(n)] ?? String(Math.trunc(n)).padStart(2, '0');

/**
 * The one local-time formatter: a stored UTC time as a person reads it, this host's wall clock (TZ
 * honoured) with its UTC offset, "2026-11-30 03:03:15 +01:00"; "-" for none. Every text for people uses
 * it (the failure report, tables, sweep's messages), so two of them never disagree; JSON and CSV keep the
 * stored UTC form. `compact` leaves out ":00" seconds, for sweep and status, whose times are mostly whole
 * minutes of a schedule. A stored time that is not one is shown as stored, made safe for a terminal.
 */
export function localTime(isoText: string | null, compact = false): string {
  if (isoText === null) return '-';
  const written = writtenMs(isoText);
  const ms = written ?? storedMs(isoText);
  if (ms === null) return neutraliseLine(String(isoText));
  const d = new Date(ms);
  const east = -d.getTimezoneOffset();
  // A UTC clock shows the digits of a time in the form cronguard writes (a real calendar day, which Date.parse
  // does not insist on): status formats a thousand of them. Not before 1970: zones then had offsets of
  // seconds, which getTimezoneOffset rounds away.
  if (east === 0 && written !== null && written >= 0) {
    const seconds = isoText.slice(17, 19);
    return `${isoText.slice(0, 10)} ${isoText.slice(11, 16)}${compact && seconds === '00' ? '' : `:${seconds}`} +00:00`;
  }
  const minutes = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
  const offset = `${east < 0 ? '-' : '+'}${two(Math.abs(east) / 60)}:${two(Math.abs(east) % 60)}`;
  return `${compact && d.getSeconds() === 0 ? minutes : `${minutes}:${two(d.getSeconds())}`} ${offset}`;
}

/** A stored duration for people: "1.2s"; "-" for none; a malformed one as stored (made safe). */
export function durationText(value: number | null): string {
  if (value === null) return '-';
  return isStoredDuration(value) ? formatDuration(value) : neutraliseLine(String(value));
}
