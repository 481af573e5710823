import { NOT_A_LETTER, STRIP_LETTERS, UNKNOWN_LETTER } from '../shared/strip-letters.ts';
import type { RunStrip } from './store-report.ts';

/** The first of `count` items to keep the last `limit` of (a negative limit keeps all). */
const firstKept = (count: number, limit: number): number => (limit >= 0 ? Math.max(0, count - limit) : 0);

/**
 * A strip from runs listed newest first as [status, duration] (PostgreSQL's rows, a strip an older
 * cronguard stored as JSON): its first `limit` runs, oldest first. A duration that is not a finite number is none.
 */
export function stripOfRuns(runs: ReadonlyArray<readonly [unknown, unknown]>, limit: number): RunStrip {
  const shown = runs.length - firstKept(runs.length, limit);
  let letters = '';
  const durations = new Array<number | null>(shown);
  for (let i = 0; i < shown; i++) {
    const run = runs[shown - 1 - i] as readonly [unknown, unknown];
    letters += (typeof run[0] === 'string' ? STRIP_LETTERS[run[0]] : undefined) ?? UNKNOWN_LETTER;
    durations[i] = typeof run[1] === 'number' && Number.isFinite(run[1]) ? run[1] : null;
  }
  return { letters, durations };
}

/**
 * A strip from its stored text (sqlite/run-latest.ts: letters, a space, the durations joined by commas,
 * oldest first): its last `limit` runs. Whoever can write the file can write this text: any character
 * that is not a strip letter reads as '?', a duration that is not a finite number as none, missing ones as none.
 */
export function stripOfText(text: string | null, limit: number): RunStrip {
  if (text === null) return { letters: '', durations: [] };
  const space = text.indexOf(' ');
  const all = space < 0 ? text : text.slice(0, space);
  const from = firstKept(all.length, limit);
  const kept = from > 0 ? all.slice(from) : all;
  const letters = ANY_NOT_A_LETTER.test(kept) ? kept.replace(NOT_A_LETTER, UNKNOWN_LETTER) : kept;
  // The durations that go with the letters kept: as many as the letters, from the end of the list, read
  // backwards comma by comma (a status reads a thousand strips; the older durations are never looked at).
  const durations = new Array<number | null>(letters.length).fill(null);
  let end = text.length;
  for (let i = letters.length - 1; i >= 0 && space >= 0 && end > space; i--) {
    const comma = text.lastIndexOf(',', end - 1);
    const start = comma > space ? comma + 1 : space + 1;
    durations[i] = start === end ? null : durationAt(text, start, end);
    end = start - 1;
  }
  return { letters, durations };
}

/**
 * The duration written in text[start, end): digits (what the store writes) read in place, without a
 * string made for each of the thousands a status reads; anything else as Number reads it; null if not finite.
 */
function durationAt(text: string, start: number, end: number): number | null {
  if (end - start <= 15) {
    let ms = 0;
    let k = start;
    for (; k < end; k++) {
      const digit = text.charCodeAt(k) - 48;
      if (digit < 0 || digit > 9) break;
      ms = ms * 10 + digit;
    }
    if (k === end) return ms;
  }
  const read = Number(text.slice(start, end));
  return Number.isFinite(read) ? read : null;
}

/** Whether a text holds any character that is not a strip letter (a test, not a replace: strips rarely do). */
const ANY_NOT_A_LETTER = new RegExp(NOT_A_LETTER.source);
