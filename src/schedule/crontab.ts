import type { CronFlavour } from './cron-flavour.ts';
import { readAssignment } from './cron-env.ts';
import { readEntry } from './cron-line.ts';
import { type CrontabEnv, jobsOfEntry } from './crontab-job.ts';
import { isKnownZone, systemZone } from './zone.ts';

/** A crontab line that runs cronguard: a job, with the schedule cron obeys for it. */
export interface CrontabJob {
  name: string;
  schedule: string;
  /** The CRON_TZ in force on the line (one the installed cron honours); null for the system's zone. */
  tz: string | null;
  /** cronie's rule for a CRON_TZ line: it runs at each instant its time occurs, none in a DST gap, twice in a repeat. */
  dst?: 'exact';
  /** --grace on the line, when given. */
  graceMs: number | null;
  /** The user column of a system crontab (/etc/crontab, /etc/cron.d); null in a user's crontab. */
  user: string | null;
  /** The database the line's runs go to, when it names one (--db, or CRONGUARD_DB set in the crontab). */
  db: string | null;
  /** Where the line is: "FILE:LINE". */
  source: string;
}

/** A line that runs `cronguard sweep`: the watcher expects sweeps on its schedule. */
export type CrontabSweepLine = Pick<CrontabJob, 'schedule' | 'tz' | 'dst' | 'user' | 'db' | 'source'>;

/** What a reading of crontabs found: its jobs, its sweep lines, and one "FILE:LINE: why" per line cron will not run as written. */
export interface CrontabReading {
  jobs: CrontabJob[];
  sweeps: CrontabSweepLine[];
  warnings: string[];
}

/** How to read one crontab: which cron reads it, whose it is, and how to look at this host. */
export interface CrontabContext {
  flavour: CronFlavour;
  /** /etc/crontab and /etc/cron.d/*: a user column after the schedule. */
  system: boolean;
  /** A file named with --crontab outside /etc: a first word naming a user is taken as a user column. */
  userColumnMaybe?: boolean;
  /** The crontab is root's own (cronie lets root start a line with "-"). */
  root: boolean;
  /** HOME of the crontab's owner (cron starts commands there); null when unknown. */
  home: string | null;
  userExists: (name: string) => boolean;
  /** Whether an executable file is at this absolute path. */
  executable: (path: string) => boolean;
}

/** Whether a crontab file has a user column (the system crontab and its drop-in directory). */
export function isSystemCrontab(path: string): boolean {
  return path === '/etc/crontab' || path.startsWith('/etc/cron.d/');
}

/**
 * Reads one crontab's text as the installed cron does; `label` names it in warnings. Never throws. With
 * Debian's cron one refused line, or a last line without its newline, makes cron ignore the whole file; cronie
 * skips just that line.
 */
export function parseCrontab(text: string, label: string, ctx: CrontabContext): CrontabReading {
  const reading: CrontabReading = { jobs: [], sweeps: [], warnings: [] };
  const env: CrontabEnv = { vars: new Map(), tz: null, tzWarned: false };
  const warn = (line: number, why: string) => reading.warnings.push(`${label}:${line}: ${why}`);
  const debian = ctx.flavour === 'debian';
  const wholeFile = "; Debian's cron ignores this whole file";
  if (text.includes('\r\n')) warn(1, 'the file has CRLF line ends: cron keeps each "\\r" as the last character of the command (and of its last argument), and takes a blank "\\r" line for an entry it refuses');
  if (text.startsWith('\uFEFF')) warn(1, 'the file starts with a byte-order mark (U+FEFF): cron reads it as part of the first line');
  const lines = text.split('\n');
  const last = lines.length - 1;
  for (let index = 0; index < lines.length; index++) {
    const line = (lines[index] as string).replace(/^[ \t]+/, '');
    if (line === '' || line.startsWith('#')) continue;
    const at = index + 1;
    if (index === last) {
      warn(at, `the last line has no newline: cron ignores it${debian ? ', and Debian\'s cron the whole file' : ''}`);
      if (debian) return { jobs: [], sweeps: [], warnings: reading.warnings };
      break;
    }
    const assignment = readAssignment(line, ctx.flavour);
    if (assignment) {
      const why = setVariable(assignment.name, assignment.value, env, ctx.flavour);
      if (why) warn(at, why);
      continue;
    }
    const entry = readEntry(line, ctx, ctx.userExists);
    if ('error' in entry) {
      warn(at, `cron refuses this line (${entry.error})${debian ? wholeFile : ''}`);
      if (debian) return { jobs: [], sweeps: [], warnings: reading.warnings };
      continue;
    }
    const found = jobsOfEntry(entry, { env, ctx, source: `${label}:${at}` });
    reading.jobs.push(...found.jobs);
    reading.sweeps.push(...found.sweeps);
    for (const w of found.warnings) warn(at, w);
  }
  return reading;
}

/** A NAME=value line: CRON_TZ, PATH, HOME and CRONGUARD_DB matter to the lines after it. */
function setVariable(name: string, value: string, env: CrontabEnv, flavour: CronFlavour): string | null {
  env.vars.set(name, value);
  if (name !== 'CRON_TZ') return null;
  if (flavour === 'debian') {
    if (env.tzWarned) return null;
    env.tzWarned = true;
    return `Debian's cron does not know CRON_TZ: the lines after it run in the system's zone (${systemZone()})`;
  }
  if (value === '' || isKnownZone(value)) {
    env.tz = value || null;
    return null;
  }
  // glibc reads a zone it cannot find as UTC, and so does cronie.
  env.tz = 'UTC';
  return `CRON_TZ ${JSON.stringify(value)} is not a known time zone: cronie runs the lines after it in UTC`;
}
