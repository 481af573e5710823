import { describeError } from '../shared/errors.ts';
import { iso, nowMs, systemClock } from '../shared/time.ts';
import type { RunRecord } from '../shared/types.ts';
import type { Store } from '../store/store.ts';
import { deliveryWarning, notify } from './outbox.ts';
import { pingFinish } from './ping.ts';
import { runEvents } from './run-events.ts';
import type { NotifySettings } from './settings.ts';

/** What the run command hands over once its run is recorded. */
export interface FinishedRun {
  run: RunRecord;
  exitCode: number;
  settings: NotifySettings;
  alertAfter: number;
  /** The store while it works, else null (notifications then go out directly, once). */
  store: Store | null;
  env: NodeJS.ProcessEnv;
  /** The start ping, when one was sent: the finish ping waits for it, so they arrive in order. */
  started: Promise<string | null> | null;
  /** The run's failure report (src/wire/failure-report.ts), built once for both stdout and the ping. */
  report: () => Buffer;
}

/**
 * A run's notifications, its finish ping and the delivery of queued notifications, all over within
 * the delivery timeout; returns the one warning line to print, or null. Nothing here can throw.
 */
export async function afterRun(f: FinishedRun): Promise<string | null> {
  const deadline = nowMs() + f.settings.timeoutMs;
  const now = () => systemClock.now();
  try {
    const events = f.settings.channels.length > 0 ? await runEvents(f.run, f.alertAfter, f.store, iso(now())) : [];
    const [undelivered, startTrouble, pingTrouble] = await Promise.all([
      notify(events, f.settings.channels, f.store, { env: f.env, now, deadline }),
      f.started,
      f.settings.ping && f.started ? f.started.then(() => finishPing(f, deadline)) : null,
    ]);
    const problems = [deliveryWarning(undelivered), startTrouble, pingTrouble].filter((p) => p);
    return problems.length > 0 ? problems.join('; ') : null;
  } catch (error) {
    return `notifications failed: ${describeError(error)}`;
  }
}

/** The finish ping: the tail of what the failure report shows (summary and output) as its body. */
function finishPing(f: FinishedRun, deadline: number): Promise<string | null> {
  return pingFinish(f.settings.ping ?? '', f.run.id, f.run.status === 'success', f.exitCode, f.report(), deadline);
}
