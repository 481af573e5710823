/** The first retry of an undelivered notification waits this long; each further one twice as long. */
export const FIRST_RETRY_MS = 30_000;
/** No retry waits longer than this. */
export const MAX_RETRY_MS = 3_600_000;
/** A notification still undelivered this long after it was queued is given up (kept, marked dead). */
export const GIVE_UP_AFTER_MS = 7 * 86_400_000;

/** How long to wait before the next try after `failures` failed tries: 30s, 1m, 2m, 4m ... at most 1h. */
export function retryDelayMs(failures: number): number {
  const exponent = Math.min(Math.max(failures, 1) - 1, 30);
  return Math.min(FIRST_RETRY_MS * 2 ** exponent, MAX_RETRY_MS);
}

/** When a notification that just failed for the `failures`th time is tried next, or null to give it up. */
export function nextTry(failures: number, createdAt: Date, now: Date): Date | null {
  const next = new Date(now.getTime() + retryDelayMs(failures));
  return next.getTime() - createdAt.getTime() > GIVE_UP_AFTER_MS ? null : next;
}
