import { randomUUID } from 'node:crypto';
import { describeError } from '../shared/errors.ts';
import { neutraliseLine } from '../shared/neutralise.ts';
import { iso } from '../shared/time.ts';
import type { HeardChange, OutboxItem, Store } from '../store/store.ts';
import { trackClaim } from './abort.ts';
import { nextTry } from './backoff.ts';
import { deliver, describeChannel } from './deliver.ts';
import type { NotifyEvent } from './event.ts';
import { type Channel, channelFingerprint } from '../shared/channel.ts';

/** What a delivery pass needs: the base environment of notify commands, the clock, and when it must be over. */
export interface DeliveryContext {
  env: NodeJS.ProcessEnv;
  now: () => Date;
  /** Epoch ms by which every delivery has ended (the delivery timeout from when the pass began). */
  deadline: number;
}

/** One notification that did not get through, as the warning says it. */
export interface Undelivered {
  message: string;
  /** Queued by this pass's own events rather than found waiting. */
  own: boolean;
}

/** How many rows one pass claims: a long backlog is worked off over several runs, each within its timeout. */
const BATCH = 20;
/** A claim outlives the delivery timeout by this much, so only a process that stalled loses it. */
const CLAIM_MARGIN_MS = 60_000;
/** Delivered rows are kept this long (for forensics), then deleted. */
const KEEP_DELIVERED_MS = 30 * 86_400_000;

/** One event for one channel; a sweep's carries the change to what that channel heard (queued only if it applies). */
export interface Parcel {
  event: NotifyEvent;
  channel: Channel;
  heard?: HeardChange;
}

/**
 * Queues each event for each channel in the outbox (in one transaction) and then delivers what is due,
 * these first. Without a usable store each is delivered directly, once. Returns what did not get through.
 */
export function notify(events: NotifyEvent[], channels: Channel[], store: Store | null, ctx: DeliveryContext): Promise<Undelivered[]> {
  return notifyParcels(events.flatMap((event) => channels.map((channel) => ({ event, channel }))), channels, store, ctx);
}

/** notify() for parcels made per channel: `channels` are all this invocation was given (their backlog is delivered too). */
export async function notifyParcels(parcels: Parcel[], channels: Channel[], store: Store | null, ctx: DeliveryContext): Promise<Undelivered[]> {
  // Nothing new: only the backlog, quietly (its trouble is another job's, already warned about once).
  if (parcels.length === 0) return store ? deliverPending(store, channels, ctx).catch(() => []) : [];
  if (!store) return deliverDirectly(parcels, ctx, 'no database');
  let ids: number[];
  try {
    ids = await store.alerts.enqueue(parcels.map(({ event, channel, heard }) => ({
      eventId: event.id, eventType: event.type, job: event.job, channelFp: channelFingerprint(channel), payload: JSON.stringify(event),
      ...(heard ? { heard } : {}),
    })), iso(ctx.now()));
  } catch (error) {
    return deliverDirectly(parcels, ctx, `cannot queue: ${describeError(error)}`);
  }
  try {
    return await deliverPending(store, channels, ctx, new Set(ids));
  } catch (error) {
    // Queued but not delivered (the database is busy): a later run delivers them.
    return [{ message: `could not deliver notifications: ${describeError(error)}; queued, later cronguard runs given these channels retry them`, own: true }];
  }
}

/** Delivers without the outbox, one try each: the database is unavailable. */
async function deliverDirectly(parcels: Array<{ event: NotifyEvent; channel: Channel }>, ctx: DeliveryContext, why: string): Promise<Undelivered[]> {
  const results = await Promise.all(parcels.map(async ({ event, channel }): Promise<Undelivered | null> => {
    const result = await deliver({ channel, payload: JSON.stringify(event), attempt: 1 }, ctx.env, ctx.deadline);
    const message = `could not deliver the ${event.type} notification of ${event.job} to ${describeChannel(channel)}: ${result.ok ? '' : result.error}; not queued (${why}), given up`;
    return result.ok ? null : { message, own: true };
  }));
  return results.filter((r) => r !== null);
}

/**
 * Delivers the queued notifications of this invocation's own channels that are due, within the context's
 * deadline: claims them (no other process delivers them meanwhile), delivers each channel's rows in order,
 * stopping at its first failure, and marks each row delivered, or failed with its next try (backoff), or
 * dead. A row names its channel by fingerprint only: it goes to the channel this process was given, never
 * anywhere the database says (SPEC §9). `own` marks the rows this process queued itself. Store trouble
 * ends the pass quietly: the rows stay queued.
 */
export async function deliverPending(store: Store, channels: readonly Channel[], ctx: DeliveryContext, own: ReadonlySet<number> = new Set()): Promise<Undelivered[]> {
  const byFingerprint = new Map(channels.map((c) => [channelFingerprint(c), c]));
  const token = randomUUID();
  const now = ctx.now();
  const items = await store.alerts.claim(iso(now), iso(new Date(ctx.deadline + CLAIM_MARGIN_MS)), token, BATCH, [...byFingerprint.keys()]);
  // Rows not settled yet go back to the queue if cronguard is interrupted mid-pass.
  const settled = new Set<number>();
  const untrack = trackClaim(() => store.alerts.release(items.map((i) => i.id).filter((id) => !settled.has(id)), token));
  try {
    return await deliverClaimed(store, byFingerprint, ctx, own, { token, now, items, settled });
  } finally {
    untrack();
  }
}

/** The claimed rows delivered channel by channel; each row settled (marked or released) is added to `settled`. */
async function deliverClaimed(store: Store, byFingerprint: ReadonlyMap<string, Channel>, ctx: DeliveryContext, own: ReadonlySet<number>,
  pass: { token: string; now: Date; items: OutboxItem[]; settled: Set<number> }): Promise<Undelivered[]> {
  const { token, now, items, settled } = pass;
  const byChannel = new Map<string, OutboxItem[]>();
  for (const item of items) byChannel.set(item.channelFp, [...(byChannel.get(item.channelFp) ?? []), item]);
  const undelivered: Undelivered[] = [];
  const tried = new Set<number>();
  let delivered = 0;
  await Promise.all([...byChannel.entries()].map(async ([fingerprint, rows]) => {
    const channel = byFingerprint.get(fingerprint);
    if (!channel) return;
    for (const [i, row] of rows.entries()) {
      const result = await deliver({ channel, payload: row.payload, attempt: row.attempts + 1 }, ctx.env, ctx.deadline);
      tried.add(row.id);
      if (result.ok) {
        await store.alerts.markDelivered(row.id, token, iso(ctx.now()));
        settled.add(row.id);
        delivered++;
        continue;
      }
      const next = result.permanent ? null : nextTry(row.attempts + 1, new Date(row.createdAt), ctx.now());
      const deadAt = next === null ? iso(ctx.now()) : null;
      await store.alerts.markFailed(row.id, token, { error: result.error, nextAt: iso(next ?? ctx.now()), deadAt });
      settled.add(row.id);
      const fate = deadAt === null ? 'queued; later cronguard runs given this channel retry it' : 'given up';
      const message = `could not deliver the ${row.eventType} notification of ${neutraliseLine(row.job ?? 'sweep')} to ${describeChannel(channel)}: ${result.error}; ${fate}`;
      undelivered.push({ message, own: own.has(row.id) });
      // Later rows of this channel wait behind this one, so the receiver sees events in order.
      for (const r of rows.slice(i + 1)) settled.add(r.id);
      await store.alerts.release(rows.slice(i + 1).map((r) => r.id), token);
      break;
    }
  }));
  if (delivered > 0) await store.alerts.purgeDelivered(iso(new Date(now.getTime() - KEEP_DELIVERED_MS)));
  const waiting = [...own].filter((id) => !tried.has(id)).length;
  if (waiting > 0) {
    const message = `${waiting} notification${waiting === 1 ? '' : 's'} of this run wait${waiting === 1 ? 's' : ''} behind an earlier undelivered one; queued, later cronguard runs given this channel deliver them in order`;
    undelivered.push({ message, own: true });
  }
  return undelivered;
}

/**
 * The one warning line about notifications that did not get through, or null. Only a pass's own
 * notifications are warned about: a backlog retried by an unrelated job must not mail its admin each tick.
 */
export function deliveryWarning(undelivered: readonly Undelivered[]): string | null {
  const mine = undelivered.filter((u) => u.own);
  const first = mine[0];
  if (!first) return null;
  return mine.length > 1 ? `${first.message} (and ${mine.length - 1} more not delivered)` : first.message;
}
