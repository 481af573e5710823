import { nowMs } from '../shared/time.ts';
import { describeError } from '../shared/errors.ts';

declare const CRONGUARD_VERSION: string;
/** Sent with every request, so a receiver can tell cronguard's requests apart. */
export const USER_AGENT = `cronguard/${typeof CRONGUARD_VERSION === 'string' ? CRONGUARD_VERSION : 'dev'}`;

/** How one delivery went: `permanent` when trying again cannot help (the receiver refused it). */
export type Delivery = { ok: true } | { ok: false; error: string; permanent: boolean };

/** Milliseconds left until `deadline` (epoch ms), never negative. */
export function remaining(deadline: number): number {
  return Math.max(0, deadline - nowMs());
}

/** What one HTTP request carries. */
export interface HttpRequest {
  method: 'GET' | 'POST';
  body?: string | Buffer;
  headers?: Record<string, string>;
}

/** How many redirects a request follows, as fetch would (a ping URL behind http -> https, say). */
const MAX_REDIRECTS = 3;

/**
 * Sends one HTTP request that is over by `deadline`, whatever the other side does (refuses, hangs,
 * trickles). 2xx is delivered; 408, 425, 429 and 5xx are worth retrying; any other status is a refusal.
 * It uses node:http / node:https (https only for https URLs) rather than the global fetch: loading undici
 * doubled the time and memory of a run with --ping.
 */
export async function send(url: string, init: HttpRequest, deadline: number): Promise<Delivery> {
  let target = url;
  let request = init;
  for (let hop = 0; ; hop++) {
    const ms = remaining(deadline);
    if (ms === 0) return { ok: false, error: 'no time left before the delivery timeout', permanent: false };
    const answer = await exchange(target, request, ms);
    if ('error' in answer) return { ok: false, error: answer.error, permanent: false };
    const { status, location } = answer;
    if (status >= 200 && status < 300) return { ok: true };
    if (location !== null && [301, 302, 303, 307, 308].includes(status) && hop < MAX_REDIRECTS) {
      target = new URL(location, target).toString();
      // As fetch does: 307 and 308 repeat the request, the others turn a POST into a GET without a body.
      if (status !== 307 && status !== 308 && request.method === 'POST') request = { method: 'GET', ...(request.headers ? { headers: withoutBodyHeaders(request.headers) } : {}) };
      continue;
    }
    const retry = status >= 500 || status === 408 || status === 425 || status === 429;
    return { ok: false, error: `HTTP ${status}`, permanent: !retry };
  }
}

/** One request and its answer's status line; the body is not needed. Never rejects. */
async function exchange(url: string, init: HttpRequest, ms: number): Promise<{ status: number; location: string | null } | { error: string }> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { error: 'not a valid URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return { error: `cannot send to a ${parsed.protocol} URL` };
  // require, not import(): the bundle runs in a vm Script, which has no dynamic import of its own; and
  // node:https (with TLS) is loaded only for an https URL.
  const client = (parsed.protocol === 'https:' ? require('node:https') : require('node:http')) as typeof import('node:http');
  const body = init.body === undefined ? null : Buffer.from(init.body);
  const headers: Record<string, string> = { 'user-agent': USER_AGENT, ...init.headers };
  if (body !== null) headers['content-length'] = String(body.length);
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const request = client.request(parsed, { method: init.method, headers, agent: false }, (response) => {
      // The status is the answer: the body is dropped with the connection (a trickling body cannot hold us).
      response.on('error', () => {});
      done({ status: response.statusCode ?? 0, location: response.headers.location ?? null });
    });
    const done = (result: { status: number; location: string | null } | { error: string }) => {
      clearTimeout(timer);
      request.destroy();
      resolve(result);
    };
    timer = setTimeout(() => done({ error: `no answer within ${ms} ms` }), ms);
    request.on('error', (error) => done({ error: describeError(error) }));
    request.end(body ?? undefined);
  });
}

/** A request's headers without those that describe a body (for a redirect that drops it). */
function withoutBodyHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !/^content-/i.test(name)));
}

/** A URL for messages: scheme, host and port only, since the path of a webhook URL is often its secret. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}/...`;
  } catch {
    return 'an invalid URL';
  }
}
