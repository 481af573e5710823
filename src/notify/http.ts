import { describeError } from '../shared/errors.ts';

declare const CRONGUARD_VERSION: string;
/** Sent with every request, so a receiver can tell cronguard's requests apart. */
export const USER_AGENT = `cronguard/${typeof CRONGUARD_VERSION === 'string' ? CRONGUARD_VERSION : 'dev'}`;

/** How one delivery went: `permanent` when trying again cannot help (the receiver refused it). */
export type Delivery = { ok: true } | { ok: false; error: string; permanent: boolean };

/** Milliseconds left until `deadline` (epoch ms), never negative. */
export function remaining(deadline: number): number {
  return Math.max(0, deadline - Date.now());
}

/**
 * Sends one HTTP request that is over by `deadline`, whatever the other side does (refuses, hangs,
 * trickles). 2xx is delivered; 408, 425, 429 and 5xx are worth retrying; any other status is a refusal.
 */
export async function send(url: string, init: { method: 'GET' | 'POST'; body?: string | Buffer; headers?: Record<string, string> }, deadline: number): Promise<Delivery> {
  const ms = remaining(deadline);
  if (ms === 0) return { ok: false, error: 'no time left before the delivery timeout', permanent: false };
  try {
    const response = await fetch(url, {
      method: init.method,
      headers: { 'user-agent': USER_AGENT, ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
      signal: AbortSignal.timeout(ms),
    });
    // The body is not needed; reading it frees the connection (and is cut short by the same signal).
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { ok: true };
    const status = response.status;
    const retry = status >= 500 || status === 408 || status === 425 || status === 429;
    return { ok: false, error: `HTTP ${status}`, permanent: !retry };
  } catch (error) {
    return { ok: false, error: fetchError(error, ms), permanent: false };
  }
}

/** A fetch failure in a few words: timeout, refused, DNS ... (undici hides the cause one level down). */
function fetchError(error: unknown, ms: number): string {
  const name = (error as Error)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return `no answer within ${ms} ms`;
  const cause = (error as { cause?: unknown })?.cause;
  return describeError(cause ?? error);
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
