import { parseArgs } from '../shared/argv.ts';
import { CronguardError, describeError } from '../shared/errors.ts';
import { derivedName } from '../shared/job-name.ts';
import { optionGiven, optionValue } from '../shared/option-values.ts';
import { RUN, SWEEP } from '../shared/options.ts';
import { defaultPath } from './cron-flavour.ts';
import type { CronEntry } from './cron-line.ts';
import type { CrontabContext, CrontabJob, CrontabSweepLine } from './crontab.ts';
import { cronguardInvocations, type Invocation } from './shell-invocation.ts';

/** The variables a crontab has set so far, and the CRON_TZ the installed cron honours. */
export interface CrontabEnv {
  vars: Map<string, string>;
  tz: string | null;
  tzWarned: boolean;
}

/** Where in the crontab an entry stands. */
interface EntryPlace {
  env: CrontabEnv;
  ctx: CrontabContext;
  source: string;
}

/** What the command as the shell gets it is: cron cuts it at the first unescaped %, and `\%` becomes %. */
export function cronCommand(command: string): { shell: string; cut: boolean } {
  let shell = '';
  for (let i = 0; i < command.length; i++) {
    const c = command[i] as string;
    if (c === '\\' && command[i + 1] === '%') { shell += '%'; i++; continue; }
    if (c === '\\' && i + 1 < command.length) { shell += c + (command[i + 1] as string); i++; continue; }
    if (c === '%') return { shell, cut: true };
    shell += c;
  }
  return { shell, cut: false };
}

/** The jobs, sweep lines and warnings of one entry cron accepted. */
export function jobsOfEntry(entry: CronEntry, place: EntryPlace): { jobs: CrontabJob[]; sweeps: CrontabSweepLine[]; warnings: string[] } {
  const out = { jobs: [] as CrontabJob[], sweeps: [] as CrontabSweepLine[], warnings: [] as string[] };
  const { ctx } = place;
  let { user, command } = entry;
  if (ctx.userColumnMaybe && user === null) {
    const first = /^(\S+)[ \t]+(.*)$/s.exec(command);
    if (first && ctx.userExists(first[1] as string)) [user, command] = [first[1] as string, first[2] as string];
  }
  const { shell, cut } = cronCommand(command);
  const invocations = cronguardInvocations(shell);
  if (user !== null && !ctx.userExists(user)) {
    const hint = user === '-n' ? ' (cronie takes -n after the user: "root -n COMMAND")' : '';
    out.warnings.push(`user ${JSON.stringify(user)} does not exist: cron never runs this line${hint}`);
    return out;
  }
  if (invocations.length === 0) {
    if (!ctx.system && !ctx.userColumnMaybe) columnHint(shell, ctx, out.warnings);
    return out;
  }
  if (ctx.flavour === 'debian' && /^-n[ \t]/.test(command)) {
    out.warnings.push('Debian\'s cron has no -n option: the shell runs "-n" as the command');
  }
  if (cut) out.warnings.push('an unescaped % ends the command here (cron feeds the rest to its stdin): write \\% for a literal %');
  if (entry.never) out.warnings.push('the schedule matches no time (a range backwards?): cron never runs this line');
  if (entry.random) out.warnings.push('cronie picks a random time for "~" when it loads the crontab: sweep cannot know it, so this line is not watched for overdue');
  if (entry.never || entry.random) return out;
  const db = place.env.vars.get('CRONGUARD_DB') || null;
  for (const inv of invocations) {
    const missing = notFound(inv, place, user);
    if (missing) out.warnings.push(missing);
    const line = { schedule: entry.schedule, tz: place.env.tz, user, db, source: place.source, ...(place.env.tz !== null && ctx.flavour === 'cronie' ? { dst: 'exact' as const } : {}) };
    const why = addInvocation(inv, line, out);
    if (why) out.warnings.push(why);
  }
  return out;
}

/** A user crontab line whose first word is a user: cron runs that word as the command. */
function columnHint(shell: string, ctx: CrontabContext, warnings: string[]): void {
  const first = /^(\S+)[ \t]+(.*)$/s.exec(shell);
  if (first && ctx.userExists(first[1] as string) && cronguardInvocations(first[2] as string).length > 0) {
    warnings.push(`cron runs "${first[1]}" as the command: a user column belongs only in /etc/crontab and /etc/cron.d`);
  }
}

/** Why cron will not find cronguard where the line names it, or null when it will (or we cannot tell). */
function notFound(inv: Invocation, place: EntryPlace, user: string | null): string | null {
  const { program } = inv;
  const home = place.env.vars.get('HOME') || (user === null ? place.ctx.home : user === 'root' ? '/root' : null);
  let candidates: string[];
  let where: string;
  if (/[$`]/.test(program)) return null;
  if (program.startsWith('/')) {
    [candidates, where] = [[program], 'there'];
  } else if (program.startsWith('~/') || program.includes('/')) {
    if (!home) return null;
    const path = program.startsWith('~/') ? `${home}${program.slice(1)}` : `${home}/${program}`;
    [candidates, where] = [[path], `there (cron starts commands in ${home})`];
  } else {
    const given = inv.assignments.get('PATH') ?? place.env.vars.get('PATH');
    const path = given ?? defaultPath(place.ctx.flavour);
    candidates = path.split(':').map((dir) => `${dir || '.'}/${program}`);
    where = `on this crontab's PATH (${path}${given === undefined ? ", cron's default" : ''})`;
  }
  if (candidates.some((c) => c.startsWith('/') && place.ctx.executable(c))) return null;
  return `cron will not find ${JSON.stringify(program)}: no executable cronguard ${where}; give its full path (e.g. /usr/local/bin/cronguard) or set PATH= in the crontab`;
}

/** Adds the job or sweep line an invocation stands for; returns what keeps it from being one, if anything. */
function addInvocation(inv: Invocation, line: CrontabSweepLine, out: { jobs: CrontabJob[]; sweeps: CrontabSweepLine[] }): string | null {
  const words = inv.args.map((w) => w.text);
  let args;
  try {
    args = parseArgs(words);
  } catch (error) {
    return error instanceof CronguardError ? `cronguard: ${error.message}` : describeError(error);
  }
  if (args.command === 'sweep' && !args.options['help']) {
    out.sweeps.push({ ...line, db: optionValue(args, SWEEP.db) ?? line.db });
    return null;
  }
  // `cronguard --version`, `cronguard status` ...: cronguard runs, but no job.
  if (args.command !== 'run' || args.version || args.options['help']) return null;
  if (args.positionals.length === 0) return 'cronguard is given no command to run';
  let given: string | undefined;
  let graceMs: number | null;
  try {
    // Read as the run itself will read them: a value cron's run would refuse is a warning here.
    given = optionValue(args, RUN.name);
    graceMs = optionGiven(args, RUN.grace) ? optionValue(args, RUN.grace) : null;
  } catch (error) {
    return error instanceof CronguardError ? `cronguard: ${error.message}` : describeError(error);
  }
  const db = optionValue(args, RUN.db) ?? line.db;
  out.jobs.push({ ...line, name: given ?? derivedName(args.positionals), graceMs, db });
  if (given === undefined && inv.args.some((w) => w.expands)) {
    return 'the job has no --name and its command uses shell expansion, so its derived name may not match its runs; give it --name';
  }
  return null;
}
