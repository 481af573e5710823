import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { badOption, describeError } from '../shared/errors.ts';
import { type CrontabReading, isSystemCrontab, parseCrontab } from './crontab.ts';

/** Where crontabs come from: the files named with --crontab, else the ones cron itself reads for us. */
export interface CrontabSources {
  /** --crontab FILE...: read these and discover nothing. */
  files: readonly string[] | null;
  uid: number;
  env: NodeJS.ProcessEnv;
}

/** Reads the crontabs; an unreadable named file is an error, trouble with discovered ones only a warning. */
export async function readCrontabs(sources: CrontabSources): Promise<CrontabReading> {
  const readings: CrontabReading[] = [];
  if (sources.files) {
    for (const file of sources.files) {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw badOption('--crontab', file, `cannot read it: ${describeError(error)}`);
      }
      readings.push(parseCrontab(text, file, isSystemCrontab(resolve(file))));
    }
  } else {
    readings.push(await userCrontab(sources.env));
    if (sources.uid === 0) readings.push(...systemCrontabs());
  }
  return { jobs: readings.flatMap((r) => r.jobs), warnings: readings.flatMap((r) => r.warnings) };
}

/** `crontab -l`: no crontab command, or no crontab for this user, is simply no job. */
function userCrontab(env: NodeJS.ProcessEnv): Promise<CrontabReading> {
  return new Promise((done) => {
    execFile('crontab', ['-l'], { env, timeout: 10_000, maxBuffer: 16 << 20 }, (error, stdout, stderr) => {
      if (!error) return done(parseCrontab(stdout, 'crontab -l', false));
      const code = (error as NodeJS.ErrnoException).code;
      const none = code === 'ENOENT' || /no crontab/i.test(stderr);
      done({ jobs: [], warnings: none ? [] : [`crontab -l failed: ${stderr.trim().split('\n')[0] || describeError(error)}`] });
    });
  });
}

/** /etc/crontab and /etc/cron.d/*, skipping the names cron skips (hidden, backups, package leftovers). */
function systemCrontabs(): CrontabReading[] {
  const files = ['/etc/crontab'];
  try {
    for (const name of readdirSync('/etc/cron.d').sort()) {
      if (!/^\.|~$|\.(dpkg|rpm)-?\w*$|\.(swp|bak|orig)$/.test(name)) files.push(join('/etc/cron.d', name));
    }
  } catch {
    // no /etc/cron.d: nothing to read there
  }
  return files.map((file) => {
    try {
      return parseCrontab(readFileSync(file, 'utf8'), file, true);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return { jobs: [], warnings: code === 'ENOENT' || code === 'EISDIR' ? [] : [`${file}: cannot read it: ${describeError(error)}`] };
    }
  });
}
