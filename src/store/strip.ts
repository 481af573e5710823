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
  const letters = (from > 0 ? all.slice(from) : all).replace(NOT_A_LETTER, UNKNOWN_LETTER);
  const parts = space < 0 ? [] : text.slice(space + 1).split(',');
  // The durations that go with the letters kept: as many as the letters, from the end of the list.
  const offset = parts.length - letters.length;
  const durations = new Array<number | null>(letters.length);
  for (let i = 0; i < letters.length; i++) {
    const part = parts[offset + i];
    const ms = part === undefined || part === '' ? NaN : Number(part);
    durations[i] = Number.isFinite(ms) ? ms : null;
  }
  return { letters, durations };
}
