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

/** A plain text table: a header row and left-aligned columns two spaces apart. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>, style: ChalkInstance): string {
  const widths = header.map((h) => h.length);
  // Each cell measured once (a status table has ten thousand): its padding is what its column lacks.
  const lengths = rows.map((row) => row.map((cell, i) => {
    const length = visibleLength(cell);
    if (length > (widths[i] ?? 0)) widths[i] = length;
    return length;
  }));
  const line = (cells: readonly string[], measured: readonly number[] | null) => {
    let text = '';
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as string;
      if (i === cells.length - 1) text += cell;
      else text += cell + ' '.repeat((widths[i] ?? 0) - (measured ? (measured[i] as number) : visibleLength(cell))) + '  ';
    }
    return text.trimEnd();
  };
  let text = `${style.bold(line(header, null))}\n`;
  for (let r = 0; r < rows.length; r++) text += `${line(rows[r] as readonly string[], lengths[r] as number[])}\n`;
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
