import { Chalk, type ChalkInstance } from 'chalk';
import type { RunStatus } from '../shared/types.ts';

/** Colours for human output: on a terminal only, never with NO_COLOR set (https://no-color.org) or TERM=dumb. */
export function makeStyle(isTTY: boolean, env: NodeJS.ProcessEnv): ChalkInstance {
  const wanted = isTTY && !env['NO_COLOR'] && env['TERM'] !== 'dumb';
  return new Chalk({ level: wanted ? 1 : 0 });
}

/** A status word in its colour: green success, red failures, yellow for what needs a look. */
export function styleStatus(style: ChalkInstance, status: RunStatus | string): string {
  switch (status) {
    case 'success': return style.green(status);
    case 'failed': case 'timeout': case 'error': case 'lost': return style.red(status);
    case 'killed': case 'skipped': return style.yellow(status);
    case 'running': return style.cyan(status);
    default: return status;
  }
}

/** Visible width of a cell (colour codes do not count). */
function visibleLength(text: string): number {
  // Most cells have no colour: a table of a thousand jobs measures ten thousand of them.
  // eslint-disable-next-line no-control-regex
  return text.includes('\x1b') ? text.replace(/\x1b\[[0-9;]*m/g, '').length : text.length;
}

/**
 * A function of text remembered per text: a thousand rows share a handful of statuses and schedules, and
 * a coloured table measures each cell twice (for the widths, then for the padding).
 */
export function remembered<T>(f: (text: string) => T): (text: string) => T {
  const known = new Map<string, T>();
  return (text) => {
    let done = known.get(text);
    if (done === undefined) known.set(text, (done = f(text)));
    return done;
  };
}

/** A UTF-16 surrogate: a text without one holds as many characters as code units. */
const SURROGATE = /[\ud800-\udfff]/;

/** How many characters (code points) a text holds, without splitting it when it has no astral ones. */
export function characters(text: string): number {
  return SURROGATE.test(text) ? [...text].length : text.length;
}

/** Whether a text ends in what trimEnd() removes. */
const ENDS_BLANK = /\s$/;

/**
 * The width of a column's widest cell, at least `least`. A loop in a function of its own: V8 compiles a
 * long-running loop with its function, and a process exits only once that compile is done. Inside
 * table(), ten thousand cells sent table's whole body to the compiler as status ended; this one is
 * compiled in a moment, early.
 */
export function widest(rows: ReadonlyArray<readonly string[]>, column: number, least: number, measure: ((text: string) => number) | null): number {
  let width = least;
  for (const row of rows) {
    const cell = row[column];
    if (cell === undefined) continue;
    const length = measure ? measure(cell) : cell.length;
    if (length > width) width = length;
  }
  return width;
}

/** A plain text table: a header row and left-aligned columns two spaces apart. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, style: ChalkInstance): string {
  // Without colour no cell holds an escape (stored fields are neutralised): its width is its length.
  const measure = style.level > 0 ? remembered(visibleLength) : null;
  let columns = header.length;
  for (const row of rows) if (row.length > columns) columns = row.length;
  const widths: number[] = [];
  for (let i = 0; i < columns; i++) widths.push(widest(rows, i, header[i]?.length ?? 0, measure));
  // A cell's padding and the gap after it, one string per width (a thousand rows share a few dozen).
  const gaps: string[] = [];
  const line = (cells: readonly string[]) => {
    let text = '';
    const last = cells.length - 1;
    for (let i = 0; i < last; i++) {
      const cell = cells[i] as string;
      const room = (widths[i] ?? 0) - (measure ? measure(cell) : cell.length) + 2;
      text += cell + (gaps[room] ??= ' '.repeat(room));
    }
    // Trailing blanks can only come from the last cell (or a blank one before it): only then is there any to trim.
    const end = last >= 0 ? (cells[last] as string) : '';
    return end !== '' && !ENDS_BLANK.test(end) ? text + end : (text + end).trimEnd();
  };
  let text = `${style.bold(line(header))}\n`;
  for (const row of rows) text += `${line(row)}\n`;
  return text;
}

/**
 * How wide human output may be: the terminal's width; in a pipe, COLUMNS when set, else no limit (a
 * file or a mail has no width to fit).
 */
export function outputWidth(isTTY: boolean, columns: number | undefined, env: NodeJS.ProcessEnv): number | null {
  if (isTTY && columns !== undefined && columns > 0) return columns;
  const fromEnv = Number(env['COLUMNS']);
  if (Number.isInteger(fromEnv) && fromEnv > 0) return fromEnv;
  return isTTY ? 80 : null;
}
