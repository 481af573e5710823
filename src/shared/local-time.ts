import { formatDuration } from './duration.ts';
import { neutraliseLine } from './neutralise.ts';
import { isStoredDuration, storedMs } from './stored.ts';

/** Two digits, zero-padded. */
const two = (n: number) => String(Math.trunc(n)).padStart(2, '0');

/**
 * The one local-time formatter: a stored UTC time as a person reads it, this host's wall clock (TZ
 * honoured) with its UTC offset, "2026-11-30 03:03:15 +01:00"; "-" for none. Every text for people uses
 * it (the failure report, tables, sweep's messages), so two of them never disagree; JSON and CSV keep the
 * stored UTC form. `compact` leaves out ":00" seconds, for sweep and status, whose times are mostly whole
 * minutes of a schedule. A stored time that is not one is shown as stored, made safe for a terminal.
 */
export function localTime(isoText: string | null, compact = false): string {
  if (isoText === null) return '-';
  const ms = storedMs(isoText);
  if (ms === null) return neutraliseLine(String(isoText));
  const d = new Date(ms);
  const minutes = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
  const east = -d.getTimezoneOffset();
  const offset = `${east < 0 ? '-' : '+'}${two(Math.abs(east) / 60)}:${two(Math.abs(east) % 60)}`;
  return `${compact && d.getSeconds() === 0 ? minutes : `${minutes}:${two(d.getSeconds())}`} ${offset}`;
}

/** A stored duration for people: "1.2s"; "-" for none; a malformed one as stored (made safe). */
export function durationText(value: number | null): string {
  if (value === null) return '-';
  return isStoredDuration(value) ? formatDuration(value) : neutraliseLine(String(value));
}
