import { accessSync, constants, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ParsedArgs } from '../shared/argv.ts';
import { closest } from '../shared/did-you-mean.ts';
import { CronguardError, EXIT } from '../shared/errors.ts';
import { COMMANDS } from '../shared/options.ts';

/** Words people put after a number meaning a unit, and the unit cronguard's durations use. */
const UNIT_WORDS: Record<string, string> = Object.fromEntries([
  ['ms', ['ms', 'msec', 'msecs', 'millisecond', 'milliseconds']],
  ['s', ['s', 'sec', 'secs', 'second', 'seconds']],
  ['m', ['m', 'min', 'mins', 'minute', 'minutes']],
  ['h', ['h', 'hr', 'hrs', 'hour', 'hours']],
  ['d', ['d', 'day', 'days']],
].flatMap(([unit, words]) => (words as string[]).map((w) => [w, unit as string])));

const SUBCOMMANDS = COMMANDS.map((c) => c.name).filter((n) => n !== 'run');

/**
 * A run-mode command that is not found and was surely meant for cronguard itself: a mistyped subcommand
 * (`cronguard histroy`) or a unit after a duration (`--timeout 5 min`). It is refused with the hint and
 * the exit code a command not found has (127), before anything runs or is recorded, so the typo does not
 * become a job. Only words not found on PATH, and only without "--" (which says: this is the command).
 */
export function mistypedCommand(args: ParsedArgs, env: NodeJS.ProcessEnv): CronguardError | null {
  const word = args.positionals[0];
  const start = args.commandStart;
  if (word === undefined || word.includes('/') || !start || start.afterDashDash) return null;
  const hint = unitHint(word, start.optionsBefore) ?? subcommandHint(word);
  if (hint === null || onPath(word, env['PATH'])) return null;
  return new CronguardError(`command ${JSON.stringify(word)} not found; did you mean ${hint}?`, EXIT.notFound);
}

/** "--timeout 5m" for `--timeout 5 min`; null when the word is no unit or follows no number. */
function unitHint(word: string, before: readonly string[]): string | null {
  const unit = UNIT_WORDS[word.toLowerCase()];
  const last = before.at(-1);
  if (unit === undefined || last === undefined) return null;
  const [option, number] = last.startsWith('--') && last.includes('=') ? last.split('=', 2) : [before.at(-2), last];
  const takesDuration = COMMANDS[0]?.options.some((o) => `--${o.name}` === option && o.value === 'DUR');
  if (!takesDuration || !/^\d+(\.\d+)?$/.test(number ?? '')) return null;
  return `${option} ${number}${unit}`;
}

/** "cronguard history" for `histroy`; null when no subcommand is close. */
function subcommandHint(word: string): string | null {
  const [near] = closest(word, SUBCOMMANDS, 1);
  return near === undefined ? null : `cronguard ${near}`;
}

/** Whether an executable of that name is on PATH, as the spawn would look for it. */
function onPath(word: string, path: string | undefined): boolean {
  for (const dir of (path ?? '/usr/bin:/bin').split(':')) {
    const file = join(dir || '.', word);
    try {
      accessSync(file, constants.X_OK);
      if (statSync(file).isFile()) return true;
    } catch {
      // Not here.
    }
  }
  return false;
}
