import { nowMs } from '../shared/time.ts';

/** How long an open or a write on the run path keeps trying while another writer holds the lock (SPEC §5: several seconds). */
export const LOCK_PATIENCE_MS = 8000;

/** Waits `ms` (the default; a caller may pass a wait that can be cut short). */
const timer = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A store call made with quick locks, tried again after short timers (5 ms doubling to 100 ms) while
 * `isBusy` says another writer holds the lock, for at most LOCK_PATIENCE_MS or until `stop()`; then its
 * last error stands. The job's event loop never waits on the lock itself: only on these timers.
 */
export async function retryWhileBusy<T>(
  call: () => Promise<T>, isBusy: (error: unknown) => boolean, stop: () => boolean, pause: (ms: number) => Promise<void> = timer,
): Promise<T> {
  const giveUpAt = nowMs() + LOCK_PATIENCE_MS;
  for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
    try {
      return await call();
    } catch (error) {
      if (stop() || !isBusy(error) || nowMs() + wait > giveUpAt) throw error;
      await pause(wait);
    }
  }
}
