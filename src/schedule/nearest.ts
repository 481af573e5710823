import { compileSchedule, firstStartAfter, type Schedule } from './walk.ts';

/** Look-back windows tried in turn for the latest start: short first, so frequent schedules stay cheap. */
const LOOK_BACK_MS = [60_000, 3_600_000, 86_400_000, 32 * 86_400_000, 400 * 86_400_000, 5 * 366 * 86_400_000];

/**
 * The scheduled start nearest to `now` (SPEC §8, --once): the latest one at or before it, or the next one,
 * whichever is closer, so hosts whose clocks differ by seconds name the same start. @reboot: the boot.
 * Null when the schedule has no start near enough to name (it cannot fire).
 */
export function nearestStart(schedule: string, zone: string | null, now: number, bootMs: number | null): number | null {
  const s = compileSchedule(schedule, zone);
  if (typeof s === 'string') return null;
  if (s.kind === 'reboot') return bootMs;
  const next = firstStartAfter(s, now, null);
  let previous: number | null = null;
  for (const span of LOOK_BACK_MS) {
    previous = latestStartIn(s, now - span, now);
    if (previous !== null) break;
  }
  if (previous === null) return next;
  if (next === null) return previous;
  return next - now < now - previous ? next : previous;
}

/**
 * The latest start in (from, to], or null, by bisection on "a start comes after m and by `to`" (true up to
 * the latest start, false from it on): a window of a minutely schedule holds too many starts to list.
 */
function latestStartIn(s: Schedule, from: number, to: number): number | null {
  const startBy = (m: number): number | null => {
    const t = firstStartAfter(s, m, null);
    return t !== null && t <= to ? t : null;
  };
  let latest = startBy(from);
  if (latest === null) return null;
  // Invariant: a start by `to` comes after lo (the latest found so far is one); none comes after hi.
  let lo = latest - 1;
  let hi = to;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    const t = startBy(mid);
    if (t === null) hi = mid;
    else {
      lo = Math.max(mid, t - 1);
      latest = t;
    }
  }
  return latest;
}
