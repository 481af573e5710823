/**
 * One crontab entry line read exactly as the cron daemon reads it: our port of load_entry() (entry.c), for
 * cronie and for Debian's cron (3.0pl1 with Debian's patches). Differences between the two are marked.
 */
import type { CronFlavour } from './cron-flavour.ts';
import { cronieList, Cursor, debianList, EOF, FIELDS, scheduleText } from './cron-fields.ts';

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

const ALIASES = new Set(['reboot', 'yearly', 'annually', 'monthly', 'weekly', 'daily', 'midnight', 'hourly']);
/** Debian's cron keeps at most 999 bytes of a command and refuses a line that fills them (MAX_COMMAND 1000). */
export const DEBIAN_COMMAND_MAX = 999;

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

