import { type Delivery, redactUrl, send } from './http.ts';

/** healthchecks.io logs the first 100 kB of a ping's body: the tail of the output is what matters. */
export const PING_BODY_LIMIT = 100_000;

/** The ping URL with a suffix (`/start`, `/fail`, `/EXITCODE`) and `rid`, keeping any query the user gave. */
export function pingUrl(base: string, suffix: string, rid: string | null): string {
  const url = new URL(base);
  if (suffix) url.pathname = `${url.pathname.replace(/\/+$/, '')}${suffix}`;
  if (rid) url.searchParams.set('rid', rid);
  return url.toString();
}

/** The signal suffix for how a run ended: none on success, else `/EXITCODE` (1-255), else `/fail`. */
export function outcomeSuffix(success: boolean, exitCode: number): string {
  if (success) return '';
  return exitCode >= 1 && exitCode <= 255 ? `/${exitCode}` : '/fail';
}

/** The last PING_BODY_LIMIT bytes of a body. */
export function bodyTail(body: Buffer): Buffer {
  return body.length > PING_BODY_LIMIT ? body.subarray(body.length - PING_BODY_LIMIT) : body;
}

/** Sends one ping (GET without a body, POST with one); a failure is a warning, never more. */
export async function ping(url: string, body: Buffer | null, deadline: number): Promise<string | null> {
  const result: Delivery = body === null
    ? await send(url, { method: 'GET' }, deadline)
    : await send(url, { method: 'POST', body, headers: { 'content-type': 'text/plain; charset=utf-8' } }, deadline);
  return result.ok ? null : `could not ping ${redactUrl(url)}: ${result.error}`;
}

/** `URL/start?rid=RUN_ID`, sent as the command starts (healthchecks.io then measures the run time). */
export function pingStart(base: string, runId: string, deadline: number): Promise<string | null> {
  return ping(pingUrl(base, '/start', runId), null, deadline);
}

/** `URL?rid=`, `URL/EXITCODE?rid=` or `URL/fail?rid=` with the output's tail as the body. */
export function pingFinish(base: string, runId: string | null, success: boolean, exitCode: number, body: Buffer, deadline: number): Promise<string | null> {
  return ping(pingUrl(base, outcomeSuffix(success, exitCode), runId), bodyTail(body), deadline);
}
