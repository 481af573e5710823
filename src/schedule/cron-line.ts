/**
 * One crontab line read exactly as the cron daemon reads it: our port of load_env() (env.c) and
 * load_entry() with get_list/get_range/get_number (entry.c), for cronie and for Debian's cron
 * (3.0pl1 with Debian's patches). Differences between the two are marked where they are.
 */
import type { CronFlavour } from './cron-flavour.ts';
import { parseCronFields } from './fields.ts';

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

/** A line cron accepts as a job. */
export interface CronEntry {
  /** The schedule as our walker reads it: the line's own fields when they mean the same, else cron's sets spelled out. */
  schedule: string;
  /** The user column of a system crontab; null in a user's crontab. */
  user: string | null;
  /** The command as cron keeps it: everything after the fields (and the user), `%` not yet processed. */
  command: string;
  /** cronie's `~` picks a random time when the crontab is loaded: sweep cannot know which. */
  random: boolean;
  /** The fields match no time at all (Debian's cron takes `5-1` as an empty range): the line never runs. */
  never: boolean;
}

/** Who a line belongs to, which changes what cron accepts. */
export interface LineContext {
  flavour: CronFlavour;
  /** /etc/crontab and /etc/cron.d: a user column, and cronie's `-` prefix allowed. */
  system: boolean;
  /** The crontab is root's (cronie allows the `-` prefix there too). */
  root: boolean;
}

const EOF = '';
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
const FIELDS: Array<{ what: string; low: number; high: number; names: string[] | null }> = [
  { what: 'minute', low: 0, high: 59, names: null },
  { what: 'hour', low: 0, high: 23, names: null },
  { what: 'day-of-month', low: 1, high: 31, names: null },
  { what: 'month', low: 1, high: 12, names: MONTHS },
  { what: 'day-of-week', low: 0, high: 7, names: DAYS },
];
const ALIASES = new Set(['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'midnight', 'hourly']);
/** Debian's cron keeps at most 999 bytes of a command and refuses a line that fills them (MAX_COMMAND 1000). */
export const DEBIAN_COMMAND_MAX = 999;

/** A cursor over one line, as cron's get_char/unget_char over the file: '\n' ends it, then EOF. */
class Cursor {
  i = 0;
  constructor(private readonly text: string) {}
  get(): string {
    return this.i < this.text.length ? (this.text[this.i++] as string) : (this.i++, EOF);
  }
  unget(): void {
    this.i--;
  }
  /** get_string: characters up to one of `terms` (the terminator is consumed and returned). */
  until(terms: string): { text: string; ch: string } {
    let text = '';
    let ch = this.get();
    while (ch !== EOF && !terms.includes(ch)) { text += ch; ch = this.get(); }
    return { text, ch };
  }
  /** The word starting at `at`, for messages. */
  wordAt(at: number): string {
    return /^[^ \t\n]*/.exec(this.text.slice(at))?.[0] ?? '';
  }
}

/** Reads an entry line (after its leading blanks) the way load_entry() does; an error names what cron says. */
export function readEntry(line: string, ctx: LineContext, userExists: (name: string) => boolean): CronEntry | { error: string } {
  const cur = new Cursor(`${line}\n`);
  const fail = (code: string, at?: number) => ({ error: at === undefined ? code : `${code} ${JSON.stringify(cur.wordAt(at))}` });
  let ch = cur.get();
  if (ch === '-') {
    if (ctx.flavour === 'debian') return fail('bad minute', 0);
    if (!ctx.system && !ctx.root) return { error: 'bad option: only root may start a line with "-" (cronie: "Only privileged user can disable logging")' };
    ch = cur.get();
  }
  let schedule: string;
  const sets: boolean[][] = [];
  let random = false;
  const starts: number[] = [];
  if (ch === '@') {
    const at = cur.i - 1;
    const alias = cur.until(' \t\n');
    ch = alias.ch;
    // strcmp: cron knows "@daily", not "@Daily".
    if (!ALIASES.has(alias.text)) return fail('bad time specifier', at);
    schedule = `@${alias.text}`;
    while (ch === ' ' || ch === '\t') ch = cur.get();
    if (ctx.flavour === 'cronie' && (ch === EOF || ch === '\n')) return fail('bad command');
  } else {
    for (const field of FIELDS) {
      starts.push(cur.i - 1);
      const set = new Array<boolean>(field.high + 1).fill(false);
      const got = ctx.flavour === 'cronie' ? cronieList(cur, ch, field, set) : debianList(cur, ch, field, set);
      if (got === null) return fail(`bad ${field.what}`, starts[starts.length - 1]);
      ch = got.ch;
      random ||= got.random;
      sets.push(set);
    }
    schedule = scheduleText(line, starts, cur.i - 1, sets);
  }
  if (ctx.flavour === 'cronie' && (ch === '\n' || ch === '*')) return fail('bad command');
  cur.unget();
  let user: string | null = null;
  if (ctx.system) {
    const name = cur.until(ctx.flavour === 'cronie' ? ' \t\n' : ' \t');
    if (name.ch === EOF || name.ch === '\n' || name.text === '') return fail('bad command');
    user = name.text;
    // Debian's cron refuses an unknown user (and with it the file); cronie loads the line and never runs it.
    if (!userExists(user) && ctx.flavour === 'debian') return fail('bad username', cur.i - 1 - user.length);
    if (ctx.flavour === 'cronie') {
      ch = name.ch;
      while (ch === ' ' || ch === '\t') ch = cur.get();
      if (ch === '\n') return fail('bad command');
      cur.unget();
    }
  } else if (ctx.flavour === 'debian' && line[cur.i] === '*') {
    return fail('bad command');
  }
  if (ctx.flavour === 'cronie') {
    // cronie's command options: `-n` (mail only on error), once, then a blank.
    let mailOnError = false;
    for (ch = cur.get(); ch === '-'; ) {
      if (cur.get() !== 'n' || mailOnError) return fail('bad option');
      mailOnError = true;
      ch = cur.get();
      if (ch !== ' ' && ch !== '\t') return fail('bad option');
      while (ch === ' ' || ch === '\t') ch = cur.get();
      if (ch === '\n') return fail('bad command');
    }
    cur.unget();
  }
  const command = cur.until('\n').text;
  if (ctx.flavour === 'debian' && Buffer.byteLength(command) >= DEBIAN_COMMAND_MAX) {
    return { error: `command too long: ${Buffer.byteLength(command)} bytes (Debian's cron refuses ${DEBIAN_COMMAND_MAX} and more)` };
  }
  const never = sets.some((s) => !s.includes(true));
  return { schedule, user, command, random, never };
}

interface Field { low: number; high: number; names: string[] | null }

/** get_number: letters and digits; a number, or one of the names (any case). Null when it is neither. */
function getNumber(cur: Cursor, first: string, low: number, names: string[] | null, namesFirst: boolean): { n: number; ch: string } | null {
  let word = '';
  let ch = first;
  while (/^[A-Za-z0-9]$/.test(ch)) { word += ch; ch = cur.get(); }
  if (word === '') return null;
  const byName = names ? names.indexOf(word.toLowerCase()) : -1;
  const digits = /^\d+$/.test(word);
  if (namesFirst && byName !== -1) return { n: byName + low, ch };
  if (digits) return { n: Number(word), ch };
  return byName !== -1 ? { n: byName + low, ch } : null;
}

/** Debian's get_list: ranges joined by commas; whatever follows the last range up to a blank is skipped. */
function debianList(cur: Cursor, first: string, f: Field, set: boolean[]): { ch: string; random: boolean } | null {
  let ch = first;
  for (;;) {
    let lo: number;
    let hi: number;
    let step = 1;
    if (ch === '*') {
      [lo, hi] = [f.low, f.high];
      ch = cur.get();
    } else {
      const a = getNumber(cur, ch, f.low, f.names, true);
      if (!a) return null;
      ch = a.ch;
      if (ch !== '-') {
        if (ch === '/') return null; // `1/5`: a step needs a range
        if (a.n < f.low || a.n > f.high) return null;
        set[a.n] = true;
        if (ch !== ',') break;
        ch = cur.get();
        continue;
      }
      const b = getNumber(cur, cur.get(), f.low, f.names, true);
      if (!b) return null;
      [lo, hi, ch] = [a.n, b.n, b.ch];
    }
    if (ch === '/') {
      const s = getNumber(cur, cur.get(), 0, null, false);
      if (!s || s.n <= 0) return null;
      [step, ch] = [s.n, s.ch];
    }
    // A range backwards (5-1) is no error to Debian's cron: it sets nothing.
    if (lo < f.low || lo > f.high || hi < f.low || hi > f.high) return null;
    for (let v = lo; v <= hi; v += step) set[v] = true;
    if (ch !== ',') break;
    ch = cur.get();
  }
  while (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== EOF) ch = cur.get();
  while (ch === ' ' || ch === '\t') ch = cur.get();
  return { ch, random: false };
}

/** cronie's get_list: each range must end at a comma or a blank; `~` picks a random value at load time. */
function cronieList(cur: Cursor, first: string, f: Field, set: boolean[]): { ch: string; random: boolean } | null {
  let ch = first;
  let random = false;
  cur.unget();
  const separator = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === ',';
  do {
    let lo = 0;
    let hi = 0;
    let step = 1;
    ch = cur.get();
    if (ch === '*') {
      [lo, hi] = [f.low, f.high];
      ch = cur.get();
    } else if (ch === '~') {
      random = true;
      [lo, hi] = [f.low, f.high];
      ch = cur.get();
      if (!separator(ch)) { const b = getNumber(cur, ch, f.low, f.names, false); if (!b) return null; ch = b.ch; }
    } else {
      const a = getNumber(cur, ch, f.low, f.names, false);
      if (!a) return null;
      [lo, hi, ch] = [a.n, a.n, a.ch];
      if (ch === '~') {
        random = true;
        ch = cur.get();
        if (!separator(ch)) { const b = getNumber(cur, ch, f.low, f.names, false); if (!b) return null; ch = b.ch; }
      } else if (ch === '-') {
        const b = getNumber(cur, cur.get(), f.low, f.names, false);
        if (!b) return null;
        [hi, ch] = [b.n, b.ch];
        if (lo > hi && hi === 0) hi = 7;
      } else if (!separator(ch)) {
        return null; // `1/5` among them: a step needs a range or *
      }
    }
    if (ch === '/' && !random) {
      const s = getNumber(cur, cur.get(), 0, null, false);
      if (!s || s.n === 0) return null;
      [step, ch] = [s.n, s.ch];
    }
    if (!separator(ch)) return null;
    if (random) { set[lo] = true; continue; } // some value: which one, only the daemon knows
    for (let v = lo; v <= hi; v += step) {
      if (v < f.low || v > f.high) return null;
      set[v] = true;
    }
  } while (ch === ',');
  while (ch === ' ' || ch === '\t') ch = cur.get();
  return { ch, random };
}

/** The five fields as text: the line's own when it has no junk cron skipped, else the sets cron built. */
function scheduleText(line: string, starts: number[], end: number, sets: boolean[][]): string {
  const dow = sets[4] as boolean[];
  if (dow[7]) dow[0] = true; // cron makes both Sundays equivalent
  dow.length = 7;
  const own = starts.map((s, k) => line.slice(s, k < 4 ? (starts[k + 1] as number) : end).trim());
  const ours = parseCronFields(own.join(' '), false);
  if (typeof ours !== 'string' && [ours.minute, ours.hour, ours.dom, ours.month, ours.dow].every((set, k) => sameSet(set, sets[k] as boolean[]))) return own.join(' ');
  return sets.map((set, k) => (own[k]?.startsWith('*') && set.every((v, i) => v || i < (FIELDS[k] as Field).low) ? '*' : spelled(set))).join(' ');
}

/** Whether two sets hold the same values. */
function sameSet(a: readonly boolean[], b: readonly boolean[]): boolean {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if ((a[i] === true) !== (b[i] === true)) return false;
  return true;
}

/** A set as a comma list of values and ranges: 1-5,7. */
function spelled(set: boolean[]): string {
  const parts: string[] = [];
  for (let v = 0; v < set.length; v++) {
    if (!set[v]) continue;
    let w = v;
    while (set[w + 1]) w++;
    parts.push(w > v ? `${v}-${w}` : String(v));
    v = w;
  }
  return parts.join(',');
}
