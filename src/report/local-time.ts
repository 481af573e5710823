import { formatDuration } from '../shared/duration.ts';
import { isStoredDuration, storedMs } from '../shared/stored.ts';
import { neutralise } from './neutralise.ts';

/** Two digits, zero-padded. */
const two = (n: number) => String(n).padStart(2, '0');

/**
 * The one local-time formatter: a stored UTC time as the admin's wall clock reads it, "2024-05-01 14:03:07"
 * in this host's zone (TZ honoured, through Date's own fields: no Intl formatter to load); "-" for none;
 * a malformed one as stored, made safe for a terminal. `compact` leaves out ":00" seconds, for sweep and
 * status, whose times are mostly whole minutes of a schedule.
 */
export function localTime(isoText: string | null, compact = false): string {
  if (isoText === null) return '-';
  const ms = storedMs(isoText);
  if (ms === null) return neutralise(String(isoText));
  const d = new Date(ms);
  const minutes = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
  return compact && d.getSeconds() === 0 ? minutes : `${minutes}:${two(d.getSeconds())}`;
}

/** A stored duration for people: "1.2s"; "-" for none; a malformed one as stored (made safe). */
export function durationText(value: number | null): string {
  if (value === null) return '-';
  return isStoredDuration(value) ? formatDuration(value) : neutralise(String(value));
}
