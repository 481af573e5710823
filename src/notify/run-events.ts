import { isFailure, type RunRecord } from '../shared/types.ts';
import type { Store } from '../store/store.ts';
import { type NotifyEvent, runEvent } from './event.ts';

/**
 * The events a finished run raises, counted across invocations from the store: a failure from the
 * `alertAfter`th consecutive failure on, a recovery for the first success after a streak that long
 * (one that was alerted). Without a store the streak is unknown: a failure is always sent, a success never.
 */
export async function runEvents(run: RunRecord, alertAfter: number, store: Store | null, at: string): Promise<NotifyEvent[]> {
  const failed = isFailure(run.status);
  if (!failed && run.status !== 'success') return [];
  let before: number | null = null;
  if (store) {
    try {
      before = await store.alerts.failuresBefore(run.job, run.id, run.startedAt);
    } catch {
      before = null;
    }
  }
  if (failed) {
    const streak = before === null ? null : before + 1;
    return streak === null || streak >= alertAfter ? [runEvent('failure', run, streak, at)] : [];
  }
  return before !== null && before >= alertAfter ? [runEvent('recovery', run, before, at)] : [];
}
