/** Two digits, zero-padded. */
const two = (n: number) => String(Math.trunc(n)).padStart(2, '0');

/**
 * A stored UTC time as a person reads it: this host's wall clock with its UTC offset,
 * "2026-11-30 03:03:15 +01:00"; "-" for none. Every text for people uses it (reports, tables, sweep's
 * messages, mails), so two of them never disagree; JSON and CSV keep the stored UTC form.
 */
export function localTime(isoText: string | null): string {
  if (isoText === null) return '-';
  const d = new Date(isoText);
  if (Number.isNaN(d.getTime())) return isoText;
  const east = -d.getTimezoneOffset();
  const offset = `${east < 0 ? '-' : '+'}${two(Math.abs(east) / 60)}:${two(Math.abs(east) % 60)}`;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${offset}`;
}
