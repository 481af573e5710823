/**
 * Time zones: offsets, wall-clock time of an instant, and the instants of a wall-clock time (none in a DST
 * gap, two in a repeated hour). Wall-clock times are "fake UTC" milliseconds. A zone is an IANA name, read
 * through Intl, or null for the system's (this process's clock: TZ, else /etc/localtime), read through
 * Date's own local fields: the first Intl formatter a process builds costs 30-80 ms (ICU's locale data), and
 * most jobs have no zone of their own.
 */

const DAY = 86_400_000;
/** Offsets are cached per quarter hour: every modern zone changes offset on a quarter-hour boundary. */
const BUCKET = 900_000;
const formatters = new Map<string, Intl.DateTimeFormat>();
const offsets = new Map<string, Map<number, number>>();

const knownZones = new Map<string, boolean>();

/**
 * Whether a time zone name is one the runtime knows (IANA), remembered: status asks it of every stored
 * schedule, and the first formatter a process builds costs tens of milliseconds (ICU's data). UTC, which
 * offsetMs answers without one, needs none here either.
 */
export function isKnownZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'Etc/UTC') return true;
  let known = knownZones.get(zone);
  if (known === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      known = true;
    } catch {
      known = false;
    }
    knownZones.set(zone, known);
  }
  return known;
}

/** The zone this process's clock is in (TZ, else the system's): what cron uses without CRON_TZ. */
export function systemZone(): string {
  // Asked once per process: building a formatter costs about a millisecond.
  cachedSystemZone ??= new Intl.DateTimeFormat().resolvedOptions().timeZone;
  return cachedSystemZone;
}
let cachedSystemZone: string | undefined;

/** The wall-clock fields of an instant in a zone. */
function wallParts(zone: string, instant: number): number[] {
  let format = formatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric',
      hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(instant)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return [parts['year'] ?? 0, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0];
}

/** The zone's offset from UTC at an instant, in ms (wall = instant + offset); null: the system's. */
export function offsetMs(zone: string | null, instant: number): number {
  if (zone === 'UTC' || zone === 'Etc/UTC') return 0;
  const bucket = Math.floor(instant / BUCKET) * BUCKET;
  const key = zone ?? ''; // no zone's name is empty
  let cache = offsets.get(key);
  if (!cache) offsets.set(key, (cache = new Map()));
  let offset = cache.get(bucket);
  if (offset === undefined) {
    offset = zone === null ? systemOffsetMs(bucket) : namedOffsetMs(zone, bucket);
    cache.set(bucket, offset);
  }
  return offset;
}

/** A named zone's offset at an instant, from the wall-clock fields Intl gives. */
function namedOffsetMs(zone: string, instant: number): number {
  const [y = 0, mo = 0, d = 1, h = 0, mi = 0, s = 0] = wallParts(zone, instant);
  return Date.UTC(y, mo, d, h, mi, s) - instant;
}

/** The system zone's offset at an instant, from a Date's local fields (to the second, as Intl's are). */
function systemOffsetMs(instant: number): number {
  const d = new Date(instant);
  return Date.UTC(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds()) - instant;
}

/** The wall-clock time of an instant in a zone. */
export function wallOf(zone: string | null, instant: number): number {
  return instant + offsetMs(zone, instant);
}

/** How far the offset moves within a day either side of an instant: 0 away from any DST change. */
export function shiftNear(zone: string | null, instant: number): number {
  return Math.abs(offsetMs(zone, instant + DAY) - offsetMs(zone, instant - DAY));
}

/**
 * The instants a wall-clock time stands for, earliest first: one normally, two in a repeated hour, and
 * none in a DST gap (then `gapEnd` is the instant the clock jumped, where cron runs what it skipped).
 */
export function instantsOfWall(zone: string | null, wall: number): { instants: number[]; gapEnd: number | null } {
  const before = offsetMs(zone, wall - DAY);
  const after = offsetMs(zone, wall + DAY);
  // The usual case, no change of offset near: one instant, found without lists walked or sorted.
  if (before === after) return { instants: offsetMs(zone, wall - before) === before ? [wall - before] : [], gapEnd: null };
  const instants: number[] = [];
  if (offsetMs(zone, wall - before) === before) instants.push(wall - before);
  if (offsetMs(zone, wall - after) === after) instants.push(wall - after);
  instants.sort((a, b) => a - b);
  if (instants.length > 0) return { instants, gapEnd: null };
  // In the gap: the jump lies between the wall time read with the new offset and with the old one.
  let lo = Math.min(wall - after, wall - before);
  let hi = Math.max(wall - after, wall - before);
  while (hi - lo > 1000) {
    const mid = lo + Math.floor((hi - lo) / 2000) * 1000;
    if (offsetMs(zone, mid) === after) hi = mid;
    else lo = mid;
  }
  return { instants, gapEnd: hi };
}

/** "2026-03-08 03:00" (seconds only when not zero): an instant as the zone's clock shows it. */
export function wallText(zone: string | null, instant: number): string {
  const iso = new Date(wallOf(zone, instant)).toISOString();
  return iso.slice(0, 10) + ' ' + (iso.slice(17, 19) === '00' ? iso.slice(11, 16) : iso.slice(11, 19));
}
