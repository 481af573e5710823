/**
 * A crontab's NAME=value lines read exactly as the cron daemon reads them: our port of load_env() (env.c)
 * for cronie and for Debian's cron (3.0pl1 with Debian's patches).
 */
import type { CronFlavour } from './cron-flavour.ts';

/** A NAME=value line as cron reads it, or null when cron reads the line as an entry instead. */
export function readAssignment(line: string, flavour: CronFlavour): { name: string; value: string } | null {
  const [NAMEI, NAME, EQ1, EQ2, VALUEI, VALUE, FINI, ERROR] = [0, 1, 2, 3, 4, 5, 6, 7] as const;
  let state: number = NAMEI;
  let quote = '';
  let name = '';
  let value = '';
  let i = 0;
  while (state !== ERROR && i < line.length) {
    const c = line[i] as string;
    if (state === NAMEI || state === VALUEI) {
      if (c === "'" || c === '"') { quote = c; i++; }
      state++;
      continue;
    }
    if (state === NAME || state === VALUE) {
      if (quote) {
        if (c === quote) { state++; i++; continue; }
        if (state === NAME && c === '=') { state = ERROR; continue; }
      } else if (state === NAME) {
        if (isSpace(c)) { i++; state++; continue; }
        if (c === '=') { state++; continue; }
      }
      if (state === NAME) name += c;
      else value += c;
      i++;
    } else if (state === EQ1) {
      if (c === '=') { state = EQ2; quote = ''; }
      else if (!isSpace(c)) state = ERROR;
      i++;
    } else if (isSpace(c)) {
      i++;
    } else {
      state++; // EQ2 -> VALUEI, FINI -> ERROR
    }
  }
  // cronie takes `NAME=` (nothing after it) as an empty value; Debian's cron reads it as an entry.
  const accepted = state === FINI || (state === VALUE && !quote) || (flavour === 'cronie' && state === EQ2);
  if (!accepted) return null;
  if (state === VALUE) value = value.replace(/[\s\v\f]+$/, '');
  if (flavour === 'debian' && value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0])) {
    value = value.slice(1, -1);
  }
  return { name, value };
}

/** C's isspace() in the C locale. */
function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}
