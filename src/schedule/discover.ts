import { execFile, spawnSync } from 'node:child_process';
import { accessSync, constants, lstatSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { badOption, describeError } from '../shared/errors.ts';
import { type CronFlavour, refusedFile, skippedName } from './cron-flavour.ts';
import { type CrontabContext, type CrontabReading, isSystemCrontab, parseCrontab } from './crontab.ts';

/** Where crontabs come from: the files named with --crontab, else the ones cron itself reads for us. */
export interface CrontabSources {
  /** --crontab FILE...: read these and discover nothing. */
  files: readonly string[] | null;
  uid: number;
  home: string;
  env: NodeJS.ProcessEnv;
  flavour: CronFlavour;
}

/** Reads the crontabs; an unreadable named file is an error, trouble with discovered ones only a warning. */
export async function readCrontabs(sources: CrontabSources): Promise<CrontabReading> {
  const readings: CrontabReading[] = [];
  const context = (system: boolean, named: boolean): CrontabContext => ({
    flavour: sources.flavour, system, root: sources.uid === 0, home: sources.home, userExists, executable,
    ...(named && !system ? { userColumnMaybe: true } : {}),
  });
  if (sources.files) {
    for (const file of sources.files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw badOption('--crontab', file, `cannot read it: ${describeError(error)}`);
      }
      const system = isSystemCrontab(resolve(file));
      readings.push(parseCrontab(text, file, context(system, true)));
    }
  } else {
    readings.push(await userCrontab(sources.env, context(false, false)));
    if (sources.uid === 0) readings.push(...systemCrontabs(sources.flavour, context(true, false)));
  }
  return {
    jobs: readings.flatMap((r) => r.jobs), sweeps: readings.flatMap((r) => r.sweeps), warnings: readings.flatMap((r) => r.warnings),
  };
}

/** `crontab -l`: no crontab command, or no crontab for this user, is simply no job. */
function userCrontab(env: NodeJS.ProcessEnv, ctx: CrontabContext): Promise<CrontabReading> {
  return new Promise((done) => {
    execFile('crontab', ['-l'], { env, timeout: 10_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (!error) return done(parseCrontab(stdout, 'crontab -l', ctx));
      const code = (error as NodeJS.ErrnoException).code;
      const none = code === 'ENOENT' || /no crontab/i.test(stderr);
      done({ jobs: [], sweeps: [], warnings: none ? [] : [`crontab -l failed: ${stderr.trim().split('\n')[0] || describeError(error)}`] });
    });
  });
}

/**
 * /etc/crontab and /etc/cron.d/*, as cron reads them: names cron skips are skipped quietly when they are
 * plainly not crontabs (hidden, backups), with a warning otherwise; a file cron refuses (owner, mode) is
 * skipped with a warning naming the reason, so nobody but root can plant a job sweep watches.
 */
function systemCrontabs(flavour: CronFlavour, ctx: CrontabContext): CrontabReading[] {
  const files = ['/etc/crontab'];
  const readings: CrontabReading[] = [];
  const skip = (file: string, why: string) => readings.push({ jobs: [], sweeps: [], warnings: [`${file}: skipped: cron does not read it: ${why}`] });
  try {
    for (const name of readdirSync('/etc/cron.d').sort()) {
      const why = skippedName(name, flavour);
      if (why === null) files.push(join('/etc/cron.d', name));
      else if (!/^\.|~$|\.(dpkg|rpm|ucf)-?\w*$|\.(swp|bak|orig|disabled)$/.test(name)) skip(join('/etc/cron.d', name), why);
    }
  } catch {
    // no /etc/cron.d: nothing to read there
  }
  for (const file of files) {
    try {
      const refused = refusedFile(lstatSync(file), statSync(file), flavour);
      if (refused) skip(file, refused);
      else readings.push(parseCrontab(readFileSync(file, 'utf8'), file, ctx));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EISDIR') readings.push({ jobs: [], sweeps: [], warnings: [`${file}: cannot read it: ${describeError(error)}`] });
    }
  }
  return readings;
}

const users = new Map<string, boolean>();
let passwd: Set<string> | null = null;

/** Whether a user exists: /etc/passwd, else NSS through getent (LDAP, sssd ...). */
function userExists(name: string): boolean {
  let known = users.get(name);
  if (known === undefined) {
    if (passwd === null) {
      try {
        passwd = new Set(readFileSync('/etc/passwd', 'utf8').split('\n').map((l) => l.split(':')[0] ?? ''));
      } catch {
        passwd = new Set();
      }
    }
    known = passwd.has(name) || (/^[A-Za-z0-9._][A-Za-z0-9._-]*\$?$/.test(name) && spawnSync('getent', ['passwd', name], { timeout: 5000 }).status === 0);
    users.set(name, known);
  }
  return known;
}

/** Whether an executable file is at this path. */
function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
