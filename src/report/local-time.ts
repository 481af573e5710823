/** Two digits, zero-padded. */
const two = (n: number) => String(n).padStart(2, '0');

/**
 * The one local-time formatter: a stored UTC time as the admin's wall clock reads it, "2024-05-01 14:03:07"
 * in this host's zone (TZ honoured); "-" for none. `compact` leaves out ":00" seconds, for sweep and status,
 * whose times are mostly whole minutes of a schedule.
 */
export function localTime(isoText: string | null, compact = false): string {
  if (isoText === null) return '-';
  const d = new Date(isoText);
  if (Number.isNaN(d.getTime())) return isoText;
  const minutes = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}`;
  return compact && d.getSeconds() === 0 ? minutes : `${minutes}:${two(d.getSeconds())}`;
}
