import { compileSchedule, expectedStarts, firstStartAfter } from './walk.ts';

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
    const starts = expectedStarts(s, now - span, now, null);
    if (starts.length > 0) {
      previous = starts[starts.length - 1] ?? null;
      break;
    }
  }
  if (previous === null) return next;
  if (next === null) return previous;
  return next - now < now - previous ? next : previous;
}
