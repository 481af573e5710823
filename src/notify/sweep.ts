import { nowMs, systemClock } from '../shared/time.ts';
import { EXIT, describeError } from '../shared/errors.ts';
import { hostName } from '../shared/proc.ts';
import type { Store } from '../store/store.ts';
import { type ProblemInfo, sweepEvent } from './event.ts';
import { deliveryWarning, notify } from './outbox.ts';
import { ping, pingUrl } from './ping.ts';
import type { NotifySettings } from './settings.ts';

/** What `cronguard sweep` hands over once it has decided what to report. */
export interface SweepNews {
  /** Problems reported as new by this sweep (SPEC §4 `problems`, without --all's old ones). */
  problems: ProblemInfo[];
  /** Problems reported as resolved by this sweep. */
  resolved: ProblemInfo[];
  /** From notifySettings(args.options, ctx.env). */
  settings: NotifySettings;
  /** The writable store, or null when sweep could not open it. */
  store: Store | null;
  env: NodeJS.ProcessEnv;
  /** The sweep's time (ISO; the test clock's when set): the events' `at`. */
  at: string;
  /** The exit code sweep is about to return: 0, 1, or 125 on its own error. */
  exitCode: number;
  /** What sweep printed: the body of its ping. */
  summary: string;
}

/**
 * Sweep's alerts, within the delivery timeout: one `problem` or `resolved` event per reported problem
 * to every channel (queued first, so never lost), the outbox's due backlog, and the dead-man ping.
 * Returns the one warning line to print, or null; never throws.
 */
export async function notifySweep(s: SweepNews): Promise<string | null> {
  const deadline = nowMs() + s.settings.timeoutMs;
  try {
    const host = hostName();
    const events = s.settings.channels.length === 0 ? [] : [
      ...s.problems.map((p) => sweepEvent('problem', p, host, s.at)),
      ...s.resolved.map((p) => sweepEvent('resolved', p, host, s.at)),
    ];
    const [undelivered, pingTrouble] = await Promise.all([
      notify(events, s.settings.channels, s.store, { env: s.env, now: () => systemClock.now(), deadline }),
      s.settings.ping ? pingSweep(s.settings.ping, s.exitCode, s.summary, deadline) : null,
    ]);
    const problems = [deliveryWarning(undelivered), pingTrouble].filter((p) => p);
    return problems.length > 0 ? problems.join('; ') : null;
  } catch (error) {
    return `notifications failed: ${describeError(error)}`;
  }
}

/**
 * `sweep --ping URL`: after every sweep, `URL` (success: the sweep ran, whatever it found; problems
 * travel as notifications) or `URL/fail` when the sweep itself failed (exit 125). An outside dead-man
 * switch then notices when the pings stop: cron, or the whole host, is dead.
 */
export function pingSweep(url: string, exitCode: number, summary: string, deadline: number): Promise<string | null> {
  return ping(pingUrl(url, exitCode === EXIT.internal ? '/fail' : '', null), Buffer.from(summary), deadline);
}
