import type { ChalkInstance } from 'chalk';
import type { RunDot } from '../store/store.ts';

/**
 * The letter of each status in a strip that cannot be coloured (NO_COLOR, a pipe): success is a small
 * letter so that the capital letters of trouble stand out in a row of them.
 */
export const STRIP_LETTERS: Readonly<Record<string, string>> = {
  success: 's', failed: 'F', timeout: 'T', killed: 'K', error: 'E', lost: 'L', skipped: '-', running: 'R',
};

/** The eight heights of a sparkline, lowest first. */
const SPARKS = '▁▂▃▄▅▆▇█';

/**
 * One cell of a coloured strip: a low green block for a success and a full-height block for trouble (red
 * for a failure, error or loss, magenta for a timeout, yellow for a kill), so the shape tells what the
 * colour tells; a dot for a skipped run, a shaded cell for one still running.
 */
function colouredCell(style: ChalkInstance, status: string): string {
  switch (status) {
    case 'success': return style.green('▄');
    case 'failed': case 'error': case 'lost': return style.red('█');
    case 'timeout': return style.magenta('█');
    case 'killed': return style.yellow('█');
    case 'skipped': return style.gray('·');
    case 'running': return style.cyan('▒');
    default: return '?';
  }
}

/** Whether the style colours at all (a terminal without NO_COLOR). */
export const colours = (style: ChalkInstance): boolean => style.level > 0;

/** The runs as one cell each, oldest left, newest right, padded on the left to `width` cells. */
export function runStrip(dots: readonly RunDot[], width: number, style: ChalkInstance): string {
  const coloured = colours(style);
  let text = ' '.repeat(Math.max(0, width - dots.length));
  for (let i = Math.max(0, dots.length - width); i < dots.length; i++) {
    const status = (dots[i] as RunDot).status;
    text += coloured ? colouredCell(style, status) : (STRIP_LETTERS[status] ?? '?');
  }
  return text;
}

/**
 * The durations of the same runs as a sparkline (the shortest of them at the bottom, the longest at the
 * top, so a job getting slower shows as a slope), one cell per run aligned with the strip; a run without a
 * duration (running, lost, skipped) is a blank.
 */
export function sparkline(dots: readonly RunDot[], width: number): string {
  const from = Math.max(0, dots.length - width);
  let low = Infinity;
  let high = -Infinity;
  for (let i = from; i < dots.length; i++) {
    const ms = (dots[i] as RunDot).durationMs;
    if (ms !== null && ms >= 0) {
      low = Math.min(low, ms);
      high = Math.max(high, ms);
    }
  }
  const span = high - low;
  let text = ' '.repeat(Math.max(0, width - dots.length));
  for (let i = from; i < dots.length; i++) {
    const ms = (dots[i] as RunDot).durationMs;
    if (ms === null || !(ms >= 0)) text += ' ';
    else text += SPARKS[span <= 0 ? 0 : Math.min(SPARKS.length - 1, Math.floor(((ms - low) / span) * SPARKS.length))] as string;
  }
  return text;
}
