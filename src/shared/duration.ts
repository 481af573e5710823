import { badOption } from './errors.ts';

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PLAIN_SECONDS = /^\d+(?:\.\d+)?$/;
const UNITS = /^(?:\d+(?:\.\d+)?(?:ms|s|m|h|d))+$/;
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d)/g;
export const DURATION_HINT = 'expected a duration such as 90, 90s, 15m, 2h, 1d, 1h30m or 500ms';

/** Milliseconds in a duration like `90`, `15m`, `1h30m` or `500ms`; undefined when it is not one. */
export function durationMs(text: string): number | undefined {
  const value = text.trim();
  if (PLAIN_SECONDS.test(value)) return Math.round(Number(value) * 1000);
  if (!UNITS.test(value)) return undefined;
  let total = 0;
  for (const [, amount, unit] of value.matchAll(PART)) total += Number(amount) * (UNIT_MS[unit ?? ''] ?? 0);
  return Math.round(total);
}

/** The longest delay a Node timer can wait (about 24.8 days); a longer one would fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Parses an option's duration, refusing a malformed value or one outside [minMs, maxMs]. */
export function parseDuration(option: string, text: string, minMs = 0, maxMs = Number.MAX_SAFE_INTEGER): number {
  const ms = durationMs(text);
  if (ms === undefined) throw badOption(option, text, DURATION_HINT);
  if (ms < minMs) throw badOption(option, text, `must be at least ${formatDuration(minMs)}`);
  if (ms > maxMs) throw badOption(option, text, `must be at most ${formatDuration(maxMs)}`);
  return ms;
}

/** A short human form of a duration: 350ms, 4.2s, 3m05s, 2h10m, 3d4h. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)}s`;
  const s = Math.round(ms / 1000);
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d${Math.floor((s % 86_400) / 3600)}h`;
}

/** A duration as an option would take it, exact and compact: 2s, 10m, 1h30m, 1s500ms. */
export function durationOptionText(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const unit of ['d', 'h', 'm', 's', 'ms']) {
    const size = UNIT_MS[unit] as number;
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  return parts.join('') || '0s';
}
