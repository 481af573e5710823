import type { ChalkInstance } from 'chalk';
import type { RunStrip } from '../store/store.ts';

/**
 * The eight heights of a sparkline, lowest first, each its own string made once: indexing a string for a
 * character outside Latin-1 makes a new string every time.
 */
const SPARKS = [...'▁▂▃▄▅▆▇█'];

/**
 * One cell of a coloured strip, by its letter: a low green block for a success and a full-height block for
 * trouble (red for a failure, error or loss, magenta for a timeout, yellow for a kill), so the shape tells
 * what the colour tells; a dot for a skipped run, a shaded cell for one still running.
 */
function colouredCell(style: ChalkInstance, letter: string): string {
  switch (letter) {
    case 's': return style.green('▄');
    case 'F': case 'E': case 'L': return style.red('█');
    case 'T': return style.magenta('█');
    case 'K': return style.yellow('█');
    case '-': return style.gray('·');
    case 'R': return style.cyan('▒');
    default: return '?';
  }
}

/** Whether the style colours at all (a terminal without NO_COLOR). */
export const colours = (style: ChalkInstance): boolean => style.level > 0;

/**
 * The runs as one cell each, oldest left, newest right, padded on the left to `width` cells. Without
 * colour the cells are the strip's own letters (the store lets no other character through).
 */
export function runStrip(strip: RunStrip, width: number, style: ChalkInstance): string {
  const from = Math.max(0, strip.letters.length - width);
  const letters = from > 0 ? strip.letters.slice(from) : strip.letters;
  let text = ' '.repeat(Math.max(0, width - letters.length));
  if (!colours(style)) return text + letters;
  const palette = paletteOf(style);
  for (let i = 0; i < letters.length; i++) text += palette.get(letters[i] as string) ?? '?';
  return text;
}

/** Each style's coloured cell of every strip letter. */
const PALETTES = new WeakMap<ChalkInstance, Map<string, string>>();

/**
 * The coloured cell of every strip letter in a style, made once: chalk builds a styler on each call, and
 * the strips of a thousand jobs hold twenty thousand cells.
 */
function paletteOf(style: ChalkInstance): Map<string, string> {
  let palette = PALETTES.get(style);
  if (palette === undefined) PALETTES.set(style, (palette = new Map([...'sFELTK-R'].map((letter) => [letter, colouredCell(style, letter)]))));
  return palette;
}

/**
 * The durations of the same runs as a sparkline (the shortest of them at the bottom, the longest at the
 * top, so a job getting slower shows as a slope), one cell per run aligned with the strip; a run without a
 * duration (running, lost, skipped) is a blank.
 */
export function sparkline(strip: RunStrip, width: number): string {
  const durations = strip.durations;
  const from = Math.max(0, durations.length - width);
  let low = Infinity;
  let high = -Infinity;
  for (let i = from; i < durations.length; i++) {
    const ms = durations[i] ?? null;
    if (ms !== null && ms >= 0) {
      low = Math.min(low, ms);
      high = Math.max(high, ms);
    }
  }
  const span = high - low;
  let text = ' '.repeat(Math.max(0, width - durations.length));
  for (let i = from; i < durations.length; i++) {
    const ms = durations[i] ?? null;
    if (ms === null || !(ms >= 0)) text += ' ';
    else text += SPARKS[span <= 0 ? 0 : Math.min(SPARKS.length - 1, Math.floor(((ms - low) / span) * SPARKS.length))] as string;
  }
  return text;
}
