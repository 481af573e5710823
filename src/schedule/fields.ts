/**
 * Cron's own field syntax, read the way cron (Vixie, cronie) reads it, and the next wall-clock time a
 * schedule matches. Wall-clock times are "fake UTC" milliseconds: the digits a clock on the wall shows,
 * with no zone; walk.ts maps them to instants. Ours rather than cron-parser's because the sweep matches
 * thousands of jobs per run and cron-parser (through luxon) costs ~0.3 ms a parse and ~30 ms to load.
 */

/** The @-aliases cron understands besides @reboot, as the 5-field expressions they stand for. */
export const CRON_ALIASES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *', '@monthly': '0 0 1 * *', '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *', '@midnight': '0 0 * * *', '@hourly': '0 * * * *',
};

/** A parsed schedule: which values each field allows (index = value), plus cron's special cases. */
export interface CronFields {
  second: readonly boolean[];
  minute: readonly boolean[];
  hour: readonly boolean[];
  dom: readonly boolean[];
  month: readonly boolean[];
  dow: readonly boolean[];
  /** A day field written with '*': cron then requires both day fields, else either (crontab(5)). */
  domStar: boolean;
  dowStar: boolean;
  /**
   * Minute or hour written with '*': cron's "wildcard" job. Cron runs those in both passes of a repeated
   * (DST fall-back) hour and skips their times inside a DST gap; fixed-time jobs run once, after a gap.
   */
  wild: boolean;
  /** For each second, minute and hour value: the first allowed one at or after it, or -1 (so a walk jumps). */
  jumps: { second: readonly number[]; minute: readonly number[]; hour: readonly number[] };
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
type Bounds = [min: number, max: number, names: string[] | null, nameBase: number];
const SECOND: Bounds = [0, 59, null, 0];
const FIELDS: Bounds[] = [[0, 59, null, 0], [0, 23, null, 0], [1, 31, null, 0], [1, 12, MONTHS, 1], [0, 7, DAYS, 0]];

/** Parses 5 fields (6 with seconds first when allowed) or an alias; a message saying what is wrong otherwise. */
export function parseCronFields(expression: string, allowSeconds: boolean): CronFields | string {
  const text = CRON_ALIASES[expression.trim().toLowerCase()] ?? expression.trim();
  const parts = text.split(/\s+/);
  if (parts.length !== 5 && !(allowSeconds && parts.length === 6)) {
    return `expected 5 fields${allowSeconds ? ' (6 with seconds first)' : ''} or an @alias, got ${parts.length}`;
  }
  const texts = parts.length === 6 ? parts : ['0'].concat(parts);
  // Plain loops and indexes, no destructuring (which walks an iterator): status compiles a hundred
  // schedules in a process that lives a fraction of a second, all of it in V8's interpreter.
  const fields: ReadField[] = [];
  for (let i = 0; i < 6; i++) {
    const part = texts[i] as string;
    const field = readField(part, i);
    if (typeof field === 'string') return `field ${i + (parts.length === 6 ? 1 : 0)} ${JSON.stringify(part)}: ${field}`;
    fields.push(field);
  }
  const starred = (i: number) => (texts[i] as string).startsWith('*');
  const at = (i: number) => fields[i] as ReadField;
  return {
    second: at(0).set, minute: at(1).set, hour: at(2).set, dom: at(3).set, month: at(4).set, dow: at(5).set,
    domStar: starred(3), dowStar: starred(5), wild: starred(1) || starred(2),
    jumps: { second: at(0).jumps, minute: at(1).jumps, hour: at(2).jumps },
  };
}

/** A field read: the values it allows (index = value) and, for seconds, minutes and hours, its jump table. */
interface ReadField { set: readonly boolean[]; jumps: readonly number[] }

/**
 * Fields read, remembered by position and text, shared and never changed: a hundred schedules hold a few
 * dozen distinct fields ('*', '0', every fifth minute...), and reading one walks every value of its range.
 */
const readFields = new Map<string, ReadField | string>();

/** The field at a position (0 seconds ... 5 days of the week) read from its text; a message when it cannot be. */
function readField(text: string, position: number): ReadField | string {
  const key = `${position} ${text}`;
  let field = readFields.get(key);
  if (field === undefined) {
    const set = parseField(text, position === 0 ? SECOND : FIELDS[position - 1] as Bounds);
    if (typeof set !== 'string' && position === 5 && set[7]) set[0] = true; // 7 is Sunday too
    field = typeof set === 'string' ? set
      : { set: position === 5 ? set.slice(0, 7) : set, jumps: position <= 2 ? jumpTable(set) : [] };
    readFields.set(key, field);
  }
  return field;
}

/** The first allowed value at or after each value, -1 past the last allowed one. */
function jumpTable(set: readonly boolean[]): number[] {
  // A plain array: a small typed array costs a backing store of its own, three per schedule, a hundred schedules.
  const table = new Array<number>(set.length);
  let next = -1;
  for (let v = set.length - 1; v >= 0; v--) table[v] = next = set[v] ? v : next;
  return table;
}

/** One field: a comma list of `*`, `N`, `N-M`, each with an optional `/STEP`; names for months and days. */
function parseField(text: string, bounds: Bounds): boolean[] | string {
  const min = bounds[0];
  const max = bounds[1];
  const names = bounds[2];
  const set: boolean[] = new Array<boolean>(max + 1).fill(false);
  const items = text.split(',');
  for (let i = 0; i < items.length; i++) {
    const item = items[i] as string;
    const plain = item === '*' || DIGITS.test(item); // most items: no pattern needed
    const match = plain ? null : ITEM.exec(item);
    if (!plain && !match) return `cannot read ${JSON.stringify(item)}`;
    const range = match ? (match[1] ?? '') : item;
    const stepText = match ? match[2] : undefined;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) return `step ${stepText} must be at least 1`;
    let lo = min;
    let hi = max;
    if (range !== '*') {
      const dash = range.indexOf('-');
      const first = fieldValue(dash < 0 ? range : range.slice(0, dash), bounds);
      const last = dash < 0 ? (stepText === undefined ? first : max) : fieldValue(range.slice(dash + 1), bounds);
      if (first === null || last === null) return `${JSON.stringify(range)} is not a number${names ? ' or a name' : ''}`;
      if (first < min || last > max || first > last) return `${JSON.stringify(range)} is outside ${min}-${max}`;
      lo = first;
      hi = last;
    }
    for (let v = lo; v <= hi; v += step) set[v] = true;
  }
  return set;
}

/** One item of a field: `*` or a value or range, with an optional step. */
const ITEM = /^(\*|[^-/*]+(?:-[^-/*]+)?)(?:\/(\d+))?$/;
const DIGITS = /^\d+$/;

/** A field's value: a number, or a month or day name; null when it is neither. */
function fieldValue(word: string, bounds: Bounds): number | null {
  const byName = bounds[2] ? bounds[2].indexOf(word.toLowerCase()) : -1;
  if (byName !== -1) return byName + bounds[3];
  return DIGITS.test(word) ? Number(word) : null;
}

/** Gives up on a schedule that matches nothing in this many steps (e.g. 31 February). */
const STEP_LIMIT = 100_000;

/** The first wall-clock time strictly after `afterWall` that the fields match; null when none ever does. */
export function nextWall(f: CronFields, afterWall: number): number | null {
  let t = Math.floor(afterWall / 1000) * 1000 + 1000;
  const { second, minute, hour } = f.jumps;
  for (let i = 0; i < STEP_LIMIT; i++) {
    const d = new Date(t);
    const Y = d.getUTCFullYear();
    const M = d.getUTCMonth();
    const D = d.getUTCDate();
    const h = d.getUTCHours();
    const m = d.getUTCMinutes();
    const s = d.getUTCSeconds();
    if (!f.month[M + 1]) { t = Date.UTC(Y, M + 1, 1); continue; }
    if (!dayMatches(f, D, d.getUTCDay())) { t = Date.UTC(Y, M, D + 1); continue; }
    // Each unit jumps straight to its next allowed value, or carries into the unit above.
    const nh = hour[h] ?? -1;
    if (nh !== h) { t = nh < 0 ? Date.UTC(Y, M, D + 1) : Date.UTC(Y, M, D, nh); continue; }
    const nm = minute[m] ?? -1;
    if (nm !== m) { t = nm < 0 ? Date.UTC(Y, M, D, h + 1) : Date.UTC(Y, M, D, h, nm); continue; }
    const ns = second[s] ?? -1;
    if (ns !== s) { t = ns < 0 ? Date.UTC(Y, M, D, h, m + 1) : Date.UTC(Y, M, D, h, m, ns); continue; }
    return t;
  }
  return null;
}

/** Cron's day rule: both day fields must match when either is '*', else either one suffices. */
function dayMatches(f: CronFields, dom: number, dow: number): boolean {
  const byDate = f.dom[dom] === true;
  const byWeekday = f.dow[dow] === true;
  return f.domStar || f.dowStar ? byDate && byWeekday : byDate || byWeekday;
}
