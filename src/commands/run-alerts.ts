import { nowMs } from '../shared/time.ts';
import { describeError } from '../shared/errors.ts';
import type { RunRecord } from '../shared/types.ts';
import type { Store } from '../store/store.ts';
import type { Interrupts } from '../runner/interrupts.ts';
import type { AlertPlan } from './run-plan.ts';

/**
 * The run path's door to src/notify. That code is loaded only when the run was given a notification
 * channel or a ping, so a plain cron tick pays nothing for it.
 */

/** Sends the start ping as the command starts (not awaited: the job never waits for it), or null. */
export function startPing(alerts: AlertPlan, runId: string): Promise<string | null> | null {
  const url = alerts.settings.ping;
  if (url === null) return null;
  const deadline = nowMs() + alerts.settings.timeoutMs;
  return import('../notify/ping.ts').then((m) => m.pingStart(url, runId, deadline)).catch((e: unknown) => describeError(e));
}

/** What settling a run's alerts needs. */
interface Settle {
  run: RunRecord; exitCode: number; alerts: AlertPlan; store: Store | null; env: NodeJS.ProcessEnv;
  started: Promise<string | null> | null; warn: (message: string) => void; report: () => Buffer;
}

/**
 * Settles the alerts (never throwing) unless a signal comes first: then the delivery stops at once (notify
 * commands killed, claimed rows given back) and the signal is returned; null when the delivery ended.
 */
export async function settleAlertsUnlessInterrupted(a: Settle, interrupts: Interrupts): Promise<NodeJS.Signals | null> {
  let stop = () => {};
  const interrupted = new Promise<NodeJS.Signals>((resolve) => { stop = interrupts.onInterrupt(resolve); });
  const settled = settleAlerts(a).catch((error: unknown) => a.warn(`notifications failed: ${describeError(error)}`));
  const signal = await Promise.race([settled.then(() => null), interrupted]);
  stop();
  if (signal) await import('../notify/abort.ts').then((m) => m.abortDeliveries()).catch(() => {});
  return signal;
}

/** After the run is recorded: its notifications, finish ping and queued deliveries; warns in one line. */
async function settleAlerts(a: Settle): Promise<void> {
  const { settings, alertAfter } = a.alerts;
  // Queued notifications are delivered only over the channels this run was given (SPEC §9): without
  // one there is nothing to deliver, and a plain cron tick asks the outbox nothing.
  if (settings.channels.length === 0 && a.started === null) return;
  const { afterRun } = await import('../notify/after-run.ts');
  const trouble = await afterRun({ ...a, settings, alertAfter });
  if (trouble) a.warn(trouble);
}
