/** Two digits, zero-padded. */
const two = (n: number) => String(n).padStart(2, '0');

/** A stored UTC time as the admin's wall clock reads it: "2024-05-01 14:03:07" in local time; "-" for none. */
export function localTime(isoText: string | null): string {
  if (isoText === null) return '-';
  const d = new Date(isoText);
  if (Number.isNaN(d.getTime())) return isoText;
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}
