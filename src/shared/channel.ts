import { createHash } from 'node:crypto';
import type { NotifyFormat } from './types.ts';
import { parseJsonSafely } from './json.ts';

/** Where a notification goes: a shell command, or an HTTP endpoint in JSON or Slack form. */
export type Channel =
  | { kind: 'command'; command: string }
  | { kind: 'url'; url: string; format: NotifyFormat };

/**
 * What the outbox stores instead of the channel (SPEC §9): a hash that names the channel without saying
 * what to run or where to send. A queued row is delivered only by a cronguard that was itself given a
 * channel with the same fingerprint, so a row planted in the database can never choose a destination.
 */
export function channelFingerprint(channel: Channel): string {
  const canonical = channel.kind === 'command'
    ? JSON.stringify({ kind: 'command', command: channel.command })
    : JSON.stringify({ kind: 'url', url: channel.url, format: channel.format });
  return createHash('sha256').update(`cronguard channel v1\n${canonical}`).digest('hex');
}

/**
 * The fingerprint of a channel as cronguard 0.1 stored it in an outbox row (its JSON), for the migration
 * that replaces those by fingerprints; null when the text is not such a channel.
 */
export function fingerprintOfStoredChannel(text: unknown): string | null {
  if (typeof text !== 'string') return null;
  const c = parseJsonSafely(text) as Record<string, unknown> | null | undefined;
  if (c?.['kind'] === 'command' && typeof c['command'] === 'string') return channelFingerprint({ kind: 'command', command: c['command'] });
  if (c?.['kind'] === 'url' && typeof c['url'] === 'string' && (c['format'] === 'json' || c['format'] === 'slack')) {
    return channelFingerprint({ kind: 'url', url: c['url'], format: c['format'] });
  }
  return null;
}
