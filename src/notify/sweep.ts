import { nowMs, systemClock } from '../shared/time.ts';
import { EXIT, describeError } from '../shared/errors.ts';
import { hostName } from '../shared/proc.ts';
import { type NotifyEvent, type ProblemInfo, sweepEvent } from './event.ts';
import { deliveryWarning, notifyParcels, type Parcel } from './outbox.ts';
import { type Channel, channelFingerprint } from '../shared/channel.ts';
import type { HeardProblem, Store } from '../store/store.ts';
import { ping, pingUrl } from './ping.ts';
import type { NotifySettings } from './settings.ts';
import { problemKey } from '../shared/sweep-model.ts';

/** What `cronguard sweep` hands over once it has decided what to report. */
export interface SweepNews {
  /** Every problem current after this sweep (what each channel should have heard of), printed or not. */
  current: ProblemInfo[];
  /** The transient ones among them (a run just marked lost): told once, never resolved. */
  transient: ProblemInfo[];
  /** From notifySettings(args.options, ctx.env). */
  settings: NotifySettings;
  /** The writable store sweep decided in (a sweep that cannot open it fails before it has news). */
  store: Store;
  env: NodeJS.ProcessEnv;
  /** The sweep's time (ISO; the test clock's when set): the events' `at`. */
  at: string;
  /** The exit code sweep is about to return: 0, 1, or 125 on its own error. */
  exitCode: number;
  /** What sweep printed: the body of its ping. */
  summary: string;
}

/**
 * Sweep's alerts, within the delivery timeout: to each channel, a `problem` event for each current problem
 * it has not heard of and a `resolved` event for each it heard of that is gone (queued first, so never
 * lost), whichever sweep printed them; the outbox's due backlog; and the dead-man ping. Returns the one
 * warning line to print, or null; never throws.
 */
export async function notifySweep(s: SweepNews): Promise<string | null> {
  const deadline = nowMs() + s.settings.timeoutMs;
  try {
    const host = hostName();
    const channels = s.settings.channels;
    const event = eventMaker(host, s.at);
    const parcels: Parcel[] = channels.length === 0 ? []
      : channelNews(channels, await s.store.alerts.heard(channels.map(channelFingerprint)), s.current, s.transient, event);
    const [undelivered, pingTrouble] = await Promise.all([
      notifyParcels(parcels, channels, s.store, { env: s.env, now: () => systemClock.now(), deadline }),
      s.settings.ping ? pingSweep(s.settings.ping, s.exitCode, s.summary, deadline) : null,
    ]);
    const problems = [deliveryWarning(undelivered), pingTrouble].filter((p) => p);
    return problems.length > 0 ? problems.join('; ') : null;
  } catch (error) {
    return `notifications failed: ${describeError(error)}`;
  }
}

/** Makes sweep events, one per news item (type, problem, appearance): every channel gets the same event id. */
function eventMaker(host: string, at: string): (type: 'problem' | 'resolved', p: ProblemInfo) => NotifyEvent {
  const made = new Map<string, NotifyEvent>();
  return (type, p) => {
    const key = JSON.stringify([type, p.job, p.kind, p.since]);
    let e = made.get(key);
    if (!e) made.set(key, (e = sweepEvent(type, p, host, at)));
    return e;
  };
}

/**
 * What each channel is to hear now, from what it heard before (pure): the resolution of each problem it
 * heard of that is gone or has appeared anew since (another `since`), then each current problem it has not
 * heard of (this appearance), then the transient ones. A hand-run sweep that printed a problem first
 * therefore takes nothing from the channels: they hear of it from the next sweep given them.
 */
export function channelNews(channels: readonly Channel[], heard: readonly HeardProblem[], current: readonly ProblemInfo[],
  transient: readonly ProblemInfo[], event: (type: 'problem' | 'resolved', p: ProblemInfo) => NotifyEvent): Parcel[] {
  const passing = new Set(transient);
  const kept = new Map(current.filter((p) => !passing.has(p)).map((p) => [problemKey(p), p]));
  return channels.flatMap((channel) => {
    const channelFp = channelFingerprint(channel);
    const mine = new Map(heard.filter((h) => h.channelFp === channelFp).map((h) => [problemKey(h), h]));
    const parcels: Parcel[] = [];
    for (const h of mine.values()) {
      if (kept.get(problemKey(h))?.since === h.since) continue;
      const told = { job: h.job, kind: h.kind, since: h.since, runId: h.runId, message: h.message };
      parcels.push({ event: event('resolved', told), channel, heard: { op: 'forget', problem: h } });
    }
    for (const p of kept.values()) {
      if (mine.get(problemKey(p))?.since === p.since) continue;
      parcels.push({ event: event('problem', p), channel, heard: { op: 'hear', problem: { channelFp, ...p } } });
    }
    for (const p of transient) parcels.push({ event: event('problem', p), channel });
    return parcels;
  });
}

/**
 * `sweep --ping URL`: after every sweep, `URL` (success: the sweep ran, whatever it found; problems
 * travel as notifications) or `URL/fail` when the sweep itself failed (exit 125). An outside dead-man
 * switch then notices when the pings stop: cron, or the whole host, is dead.
 */
export function pingSweep(url: string, exitCode: number, summary: string, deadline: number): Promise<string | null> {
  return ping(pingUrl(url, exitCode === EXIT.internal ? '/fail' : '', null), Buffer.from(summary), deadline);
}
