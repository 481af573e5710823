/** The clock seam: everything that asks "what time is it" asks this, so tests can fix it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Milliseconds since the epoch by a clock (the system's unless given): for deadlines. */
export function nowMs(clock: Clock = systemClock): number {
  return clock.now().getTime();
}

/** UTC ISO-8601 with milliseconds: the only time format stored. */
export function iso(date: Date): string {
  return date.toISOString();
}
