import { formatDuration } from '../shared/duration.ts';
import { isStoredDuration, storedMs } from '../shared/stored.ts';
import { neutralise } from './neutralise.ts';

/** Two digits, zero-padded. */
const two = (n: number) => String(n).padStart(2, '0');

// Local times come from Date's own local fields: the same zone Intl would name (TZ, else the system's),
// without loading Intl's formatters, which costs a command tens of milliseconds on its first use.

/** The local date and time of an instant: "2024-05-01 14:03", then ":07" when `seconds` asks. */
function localFields(ms: number, seconds: boolean): string {
  const d = new Date(ms);
  const s = d.getSeconds();
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}${seconds ? `:${two(s)}` : ''}`;
}

/** A stored UTC time as the admin's wall clock reads it: "2024-05-01 14:03:07"; "-" for none; a malformed one as stored (made safe). */
export function localTime(isoText: string | null): string {
  if (isoText === null) return '-';
  const ms = storedMs(isoText);
  return ms === null ? neutralise(String(isoText)) : localFields(ms, true);
}

/** Like localTime, with the seconds only when they are not zero ("2026-03-08 03:00"), as schedules read. */
export function localWall(isoText: string): string {
  const ms = storedMs(isoText);
  return ms === null ? neutralise(String(isoText)) : localFields(ms, new Date(ms).getSeconds() !== 0);
}

/** A stored duration for people: "1.2s"; "-" for none; a malformed one as stored (made safe). */
export function durationText(value: number | null): string {
  if (value === null) return '-';
  return isStoredDuration(value) ? formatDuration(value) : neutralise(String(value));
}
