/**
 * The five time fields read exactly as the cron daemon reads them: our port of get_list/get_range/get_number
 * (entry.c) for cronie and for Debian's cron, and the schedule text our own walker reads for them.
 */
import { parseCronFields } from './fields.ts';

/** The end of the line, as cron's get_char gives EOF. */
export const EOF = '';

/** A cursor over one line, as cron's get_char/unget_char over the file: '\n' ends it, then EOF. */
export class Cursor {
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

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
export const FIELDS: Array<{ what: string; low: number; high: number; names: string[] | null }> = [
  { what: 'minute', low: 0, high: 59, names: null },
  { what: 'hour', low: 0, high: 23, names: null },
  { what: 'day-of-month', low: 1, high: 31, names: null },
  { what: 'month', low: 1, high: 12, names: MONTHS },
  { what: 'day-of-week', low: 0, high: 7, names: DAYS },
];

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
export function debianList(cur: Cursor, first: string, f: Field, set: boolean[]): { ch: string; random: boolean } | null {
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
export function cronieList(cur: Cursor, first: string, f: Field, set: boolean[]): { ch: string; random: boolean } | null {
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
export function scheduleText(line: string, starts: number[], end: number, sets: boolean[][]): string {
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
