import { type CronFields, nextWall, parseCronFields } from './fields.ts';
import { instantsOfWall, isKnownZone, shiftNear, wallOf } from './zone.ts';

/** A schedule ready to walk: cron fields read in a zone, or @reboot. */
export type Schedule =
  | { kind: 'reboot'; text: string }
  | { kind: 'cron'; text: string; zone: string | null; fields: CronFields; dst: 'cron' | 'exact' };

/**
 * Compiles a schedule in a zone (null: the system's); a message saying why when cron would not read it.
 * `dst`: 'cron' for cron's own DST handling of the system zone, 'exact' for cronie's CRON_TZ lines, which run
 * at each instant their wall-clock time occurs (none inside a gap, twice in a repeated hour).
 */
export function compileSchedule(text: string, zone: string | null, allowSeconds = true, dst: 'cron' | 'exact' = 'cron'): Schedule | string {
  // Both may be read back from a database another cronguard (another host, another tzdata) or the sqlite3
  // shell wrote: what this one cannot read is a reason, never a crash.
  if (typeof text !== 'string') return 'not a schedule';
  if (zone !== null && (typeof zone !== 'string' || !isKnownZone(zone))) return `unknown time zone ${JSON.stringify(String(zone))}`;
  if (text.trim().toLowerCase() === '@reboot') return { kind: 'reboot', text: '@reboot' };
  const fields = parseCronFields(text, allowSeconds);
  if (typeof fields === 'string') return fields;
  return { kind: 'cron', text: text.trim(), zone, fields, dst };
}

/**
 * The instants cron starts a matching wall-clock time at, by its DST rules: a time inside a gap runs once
 * when the clock jumps (fixed-time jobs) or not at all (wildcard jobs); a time in a repeated hour runs in
 * its first pass only (fixed-time) or in both (wildcard). cronie's CRON_TZ lines ('exact') know no such rule:
 * a time in a gap never comes, a repeated one comes twice.
 */
function runInstants(s: Extract<Schedule, { kind: 'cron' }>, wall: number): number[] {
  const { instants, gapEnd } = instantsOfWall(s.zone, wall);
  if (s.dst === 'exact') return instants;
  if (gapEnd !== null) return s.fields.wild ? [] : [gapEnd];
  return s.fields.wild ? instants : instants.slice(0, 1);
}

/**
 * The first expected start strictly after `from`, walking forward through wall-clock times (never back
 * from "now": cron-parser's prev() and next() disagree across DST changes). @reboot is expected at
 * `bootMs`, when that is after `from`. Null when the schedule never fires again.
 */
export function firstStartAfter(s: Schedule, from: number, bootMs: number | null): number | null {
  if (s.kind === 'reboot') return bootMs !== null && bootMs > from ? bootMs : null;
  // Near a DST change a wall time somewhat before `from`'s may still fall after it: start that much earlier.
  let wall = wallOf(s.zone, from) - shiftNear(s.zone, from);
  let best: number | null = null;
  let stopAfter = Infinity;
  for (let i = 0; i < 1_000_000; i++) {
    const next = nextWall(s.fields, wall);
    if (next === null || next > stopAfter) break;
    wall = next;
    const instants = runInstants(s, next);
    for (let k = 0; k < instants.length; k++) {
      const t = instants[k] as number;
      if (t > from && (best === null || t < best)) {
        best = t;
        // Later wall times map to later instants once past the best by the local DST shift.
        stopAfter = next + shiftNear(s.zone, t);
      }
    }
  }
  return best;
}

/** Every expected start in (from, to], in order; at most `limit` of them. */
export function expectedStarts(s: Schedule, from: number, to: number, bootMs: number | null, limit = 10_000): number[] {
  const starts: number[] = [];
  let t = firstStartAfter(s, from, bootMs);
  while (t !== null && t <= to && starts.length < limit) {
    starts.push(t);
    t = firstStartAfter(s, t, bootMs);
  }
  return starts;
}
