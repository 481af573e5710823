import type { RunRecord } from './types.ts';
import { parseJsonSafely } from './json.ts';

// Stored times and durations are read back, never trusted (SPEC §9): a spooled record, an older cronguard
// or an import can leave a value that does not parse, and one bad row must never take a command down.

/** What a stored time must look like: an ISO-8601 date and time with its offset (SPEC §5 writes UTC with ms). */
const STORED_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A stored time as epoch milliseconds; null when it is not a time. */
export function storedMs(text: string | null | undefined): number | null {
  if (typeof text !== 'string') return null;
  // The form cronguard writes ("2026-05-01T23:00:13.000Z") needs no pattern: an export checks millions.
  const written = text.length === 24 && text.charCodeAt(10) === 84 /* T */ && text.charCodeAt(19) === 46 /* . */ && text.charCodeAt(23) === 90; /* Z */
  if (!written && !STORED_TIME.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * The source of a pattern for a time in the form cronguard writes, "2026-05-01T23:00:13.000Z", on a day of
 * the calendar (29 February of leap years only) at a time of day: the one definition the status check here
 * and the export's checks in SQLite rows (store/sqlite/export.ts) share.
 */
export const WRITTEN_TIME = String.raw`(?:\d{4}-(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)`
  + String.raw`|(?:\d\d(?:0[48]|[2468][048]|[13579][26])|(?:[02468][048]|[13579][26])00)-02-29)T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z`;

/**
 * A whole written time. One pattern, not checks written out character by character: status checks a
 * thousand times once, in V8's interpreter, where the written-out checks ran long enough to be sent to the
 * optimising compiler just before the end, and the exit waited ~20 ms for that compile.
 */
const WHOLE_WRITTEN_TIME = new RegExp(`^${WRITTEN_TIME}$`);

/**
 * Whether a stored time is one (storedMs would read it), without parsing a date in the common case: the
 * form cronguard writes, on a day of the calendar, is one; anything else is asked of storedMs.
 */
export function isStoredTime(text: string | null | undefined): boolean {
  return isWrittenTime(text) || storedMs(text) !== null;
}

/** Whether a text is a time exactly as cronguard writes it ("2026-05-01T23:00:13.000Z"), on a real calendar day. */
export function isWrittenTime(text: string | null | undefined): text is string {
  return typeof text === 'string' && WHOLE_WRITTEN_TIME.test(text);
}

/** The epoch milliseconds of a time exactly as cronguard writes it, on a real calendar day; null for anything else. */
export function writtenMs(text: string | null | undefined): number | null {
  return isWrittenTime(text) ? Date.parse(text) : null;
}

/** Whether a stored duration is one: a whole, non-negative number of milliseconds. */
export function isStoredDuration(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

/** The first of some stored times that is one, as stored; null when none is. */
export function firstValidTime(...texts: ReadonlyArray<string | null | undefined>): string | null {
  return texts.find((t) => storedMs(t) !== null) ?? null;
}

/** "ended_at", or "attempt 2 ended_at": which stored value. */
const fieldName = (attempt: number | null, field: string) => (attempt === null ? field : `attempt ${attempt} ${field}`);

/** A phrase when a stored time is not one (null may be allowed), else null. */
function wrongTime(attempt: number | null, field: string, value: string | null, nullable: boolean): string | null {
  if (value === null ? nullable : isStoredTime(value)) return null;
  return `${fieldName(attempt, field)} ${JSON.stringify(value)} is not a valid time`;
}

/** A phrase when a stored duration is not one, else null. */
function wrongDuration(attempt: number | null, value: unknown): string | null {
  return value === null || isStoredDuration(value) ? null : `${fieldName(attempt, 'duration_ms')} ${JSON.stringify(value)} is not a whole number of milliseconds`;
}

/** What is wrong in a run's stored times and durations (its attempts' included), one phrase each. */
export function malformedFields(run: RunRecord): string[] {
  const wrong: string[] = [];
  const note = (phrase: string | null) => { if (phrase !== null) wrong.push(phrase); };
  note(wrongTime(null, 'started_at', run.startedAt, false));
  note(wrongTime(null, 'heartbeat_at', run.heartbeatAt, false));
  note(wrongTime(null, 'ended_at', run.endedAt, true));
  note(wrongDuration(null, run.durationMs));
  for (const a of run.attempts) {
    note(wrongTime(a.n, 'started_at', a.startedAt, false));
    note(wrongTime(a.n, 'ended_at', a.endedAt, true));
    note(wrongDuration(a.n, a.durationMs));
  }
  return wrong;
}

/** The warning naming a run with malformed values (shown as stored), or null when it has none. */
export function malformedRunWarning(run: RunRecord): string | null {
  const wrong = malformedFields(run);
  return wrong.length === 0 ? null : `warning: run ${run.id.slice(0, 8)} (job ${JSON.stringify(run.job)}): ${wrong.join('; ')}; shown as stored`;
}

/**
 * Collects warnings about malformed runs for one command: each run once, at most `limit` lines, then a
 * count of the rest, so a damaged database cannot flood the terminal.
 */
export class MalformedRuns {
  private shown = 0;
  private more = 0;
  constructor(private readonly warn: (line: string) => void, private readonly limit = 10) {}

  check(run: RunRecord): void {
    const line = malformedRunWarning(run);
    if (line === null) return;
    if (this.shown++ < this.limit) this.warn(line);
    else this.more++;
  }

  /** Says how many more were left unnamed. */
  finish(): void {
    if (this.more > 0) this.warn(`warning: ${this.more} more run${this.more > 1 ? 's' : ''} with malformed times or durations`);
  }
}

/** A stored JSON list of strings (a sweep's warnings); empty when the text is not one, so a bad row never stops a sweep. */
export function storedTextList(text: string | null | undefined): string[] {
  const value = parseJsonSafely(text ?? '[]');
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
