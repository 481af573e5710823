import { runNotifyCommand } from './command.ts';
import { eventEnv, readEvent } from './event.ts';
import { type Delivery, redactUrl, send } from './http.ts';
import type { Channel } from './settings.ts';
import { slackBody } from './slack.ts';

/** One notification to deliver: the event's JSON as queued, for one channel, on its nth try. */
export interface Parcel {
  channel: Channel;
  payload: string;
  attempt: number;
}

/** Delivers one notification over its channel, over by `deadline`; `env` is the base of a command's environment. */
export async function deliver(parcel: Parcel, env: NodeJS.ProcessEnv, deadline: number): Promise<Delivery> {
  const event = readEvent(parcel.payload);
  if (event === null) return { ok: false, error: 'the queued row is not a cronguard event', permanent: true };
  const { channel } = parcel;
  if (channel.kind === 'command') {
    return runNotifyCommand(channel.command, parcel.payload, { ...env, ...eventEnv(event) }, deadline);
  }
  const body = channel.format === 'slack' ? JSON.stringify(slackBody(event)) : parcel.payload;
  return send(channel.url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-cronguard-event': event.type,
      'x-cronguard-event-id': event.id,
      'x-cronguard-attempt': String(parcel.attempt),
    },
  }, deadline);
}

/** A channel as a warning names it, without the secrets a webhook URL or a command line may hold. */
export function describeChannel(channel: Channel): string {
  if (channel.kind === 'url') return redactUrl(channel.url);
  const first = channel.command.trim().split(/\s+/)[0] ?? '';
  return `command ${JSON.stringify(first.length > 40 ? `${first.slice(0, 40)}...` : first)}`;
}
