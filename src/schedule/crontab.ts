import { parseArgs } from '../shared/argv.ts';
import { CronguardError } from '../shared/errors.ts';
import { derivedName } from '../shared/job-name.ts';
import { optionGiven, optionValue } from '../shared/option-values.ts';
import { RUN } from '../shared/options.ts';
import { CRON_ALIASES } from './fields.ts';
import { cronguardArgs } from './shell.ts';
import { compileSchedule } from './walk.ts';
import { isKnownZone } from './zone.ts';

/** A crontab line that runs cronguard: a job, with the schedule cron obeys for it. */
export interface CrontabJob {
  name: string;
  schedule: string;
  /** The CRON_TZ in force on the line; null for the system's zone. */
  tz: string | null;
  /** --grace on the line, when given. */
  graceMs: number | null;
  /** The user column of a system crontab (/etc/crontab, /etc/cron.d); null in a user's crontab. */
  user: string | null;
  /** The database the line's runs go to, when it names one (--db, or CRONGUARD_DB set in the crontab). */
  db: string | null;
  /** Where the line is: "FILE:LINE". */
  source: string;
}

/** What a reading of crontabs found: its jobs, and one "FILE:LINE: why" per line cron could not read. */
export interface CrontabReading {
  jobs: CrontabJob[];
  warnings: string[];
}

/** Whether a crontab file has a user column (the system crontab and its drop-in directory). */
export function isSystemCrontab(path: string): boolean {
  return path === '/etc/crontab' || path.startsWith('/etc/cron.d/');
}

/** Reads one crontab's text; `label` names it in warnings. Never throws: a bad line becomes a warning. */
export function parseCrontab(text: string, label: string, system: boolean): CrontabReading {
  const reading: CrontabReading = { jobs: [], warnings: [] };
  const env: { tz: string | null; db: string | null } = { tz: null, db: null };
  text.split('\n').forEach((raw, index) => {
    const where = `${label}:${index + 1}`;
    const line = raw.replace(/\r$/, '').trim();
    if (line === '' || line.startsWith('#')) return;
    const warning = readLine(line, where, system, env, reading.jobs);
    if (warning) reading.warnings.push(`${where}: ${warning}`);
  });
  return reading;
}

/** Reads one non-blank line, adding a job when it runs cronguard; returns what is wrong with it, if anything. */
function readLine(line: string, where: string, system: boolean, env: { tz: string | null; db: string | null }, jobs: CrontabJob[]): string | null {
  const assignment = /^([^\s=]+)\s*=\s*(.*)$/.exec(line);
  if (assignment && !/^[\d*@]/.test(line)) return setVariable(assignment[1] ?? '', unquote(assignment[2] ?? ''), env);
  const split = splitSchedule(line);
  if (typeof split === 'string') return split;
  let { schedule, rest } = split;
  const compiled = compileSchedule(schedule, 'UTC', false);
  if (typeof compiled === 'string') return `bad schedule ${JSON.stringify(schedule)}: ${compiled}`;
  let user: string | null = null;
  if (system) {
    const match = /^(\S+)\s*(.*)$/.exec(rest);
    [user, rest] = [match?.[1] ?? null, match?.[2] ?? ''];
  }
  // cron turns the first unescaped % into the end of the command (what follows is its stdin).
  const command = (/^(?:[^%\\]|\\.)*/.exec(rest)?.[0] ?? '').replace(/\\%/g, '%').trim();
  if (command === '') return `no command after the schedule${system ? ' and the user' : ''}`;
  const args = cronguardArgs(command);
  if (!args) return null;
  return addJob(args.map((w) => w.text), args.some((w) => w.expands), { schedule, user, where, env }, jobs);
}

/** Splits "5 fields" or "@alias" from the rest of the line. */
function splitSchedule(line: string): { schedule: string; rest: string } | string {
  if (line.startsWith('@')) {
    const [, alias = '', rest = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const known = alias.toLowerCase() === '@reboot' || CRON_ALIASES[alias.toLowerCase()] !== undefined;
    return known ? { schedule: alias.toLowerCase(), rest } : `unknown schedule ${JSON.stringify(alias)} (cron knows @reboot, @yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly)`;
  }
  const match = /^([\d*]\S*\s+\S+\s+\S+\s+\S+\s+\S+)(?:\s+(.*))?$/.exec(line);
  if (!match) return `not a crontab line: expected 5 time fields and a command, or NAME=value`;
  return { schedule: (match[1] ?? '').replace(/\s+/g, ' '), rest: match[2] ?? '' };
}

/** A VAR=value line: CRON_TZ and CRONGUARD_DB matter to the lines after it. */
function setVariable(name: string, value: string, env: { tz: string | null; db: string | null }): string | null {
  if (name === 'CRONGUARD_DB') env.db = value || null;
  if (name !== 'CRON_TZ') return null;
  if (value === '' || isKnownZone(value)) {
    env.tz = value || null;
    return null;
  }
  env.tz = null;
  return `CRON_TZ ${JSON.stringify(value)} is not a known time zone; the lines after it are read in the system's zone`;
}

/** Strips one pair of matching quotes, as cron does for variable values. */
function unquote(value: string): string {
  const v = value.trim();
  return /^(["']).*\1$/.test(v) && v.length >= 2 ? v.slice(1, -1) : v;
}

/** Adds the job a cronguard invocation stands for; returns what keeps it from being one, if anything. */
function addJob(
  words: string[], expands: boolean,
  line: { schedule: string; user: string | null; where: string; env: { tz: string | null; db: string | null } },
  jobs: CrontabJob[],
): string | null {
  let args;
  try {
    args = parseArgs(words);
  } catch (error) {
    return error instanceof CronguardError ? `cronguard: ${error.message}` : String(error);
  }
  // `cronguard sweep`, `cronguard --version` ...: cronguard runs, but no job.
  if (args.command !== 'run' || args.version || args.options['help']) return null;
  if (args.positionals.length === 0) return 'cronguard is given no command to run';
  let given: string | undefined;
  let graceMs: number | null;
  try {
    // Read as the run itself will read them: a value cron's run would refuse is a warning here.
    given = optionValue(args, RUN.name);
    graceMs = optionGiven(args, RUN.grace) ? optionValue(args, RUN.grace) : null;
  } catch (error) {
    return error instanceof CronguardError ? `cronguard: ${error.message}` : String(error);
  }
  const db = optionValue(args, RUN.db) ?? line.env.db;
  jobs.push({
    name: given ?? derivedName(args.positionals),
    schedule: line.schedule, tz: line.env.tz, graceMs, user: line.user, db, source: line.where,
  });
  if (given === undefined && expands) {
    return 'the job has no --name and its command uses shell expansion, so its derived name may not match its runs; give it --name';
  }
  return null;
}
