import { existsSync, type Stats } from 'node:fs';
import type { CronFlavour } from '../shared/types.ts';

/** The two crons whose rules sweep knows: cronie (Fedora, RHEL, Arch, SUSE) and Debian's cron (Debian, Ubuntu). */
export type { CronFlavour };

/** Which cron reads the crontabs here, and how that was decided (for --help and the man page: "how it decides"). */
export interface CronChoice {
  flavour: CronFlavour;
  why: string;
}

/**
 * The installed cron: `--cron` when given; else the package database (dpkg's `cron` or `cronie`); else the
 * daemon's file name (cronie installs /usr/sbin/crond, Debian's cron /usr/sbin/cron); else Debian's cron on a
 * Debian-based system (/etc/debian_version) and cronie everywhere else.
 */
export function detectCron(given: CronFlavour | null, exists: (path: string) => boolean = existsSync): CronChoice {
  if (given !== null) return { flavour: given, why: '--cron' };
  if (exists('/var/lib/dpkg/info/cronie.list')) return { flavour: 'cronie', why: 'the cronie package is installed' };
  if (exists('/var/lib/dpkg/info/cron.list')) return { flavour: 'debian', why: "Debian's cron package is installed" };
  if (exists('/usr/sbin/crond')) return { flavour: 'cronie', why: '/usr/sbin/crond exists' };
  if (exists('/etc/debian_version')) return { flavour: 'debian', why: 'a Debian-based system' };
  return { flavour: 'cronie', why: 'no Debian cron found' };
}

/** The PATH cron gives a job whose crontab sets none. */
export function defaultPath(flavour: CronFlavour): string {
  return flavour === 'debian' ? '/usr/bin:/bin' : '/usr/bin:/bin:/usr/sbin:/sbin';
}

/**
 * Why cron skips a file in /etc/cron.d by its name, or null when it reads it. Debian's cron reads only names
 * made of [A-Za-z0-9_-] (as run-parts does; its -l mode is not assumed); cronie skips hidden files, `#...`,
 * `...~` and the package managers' .rpmsave, .rpmorig, .rpmnew.
 */
export function skippedName(name: string, flavour: CronFlavour): string | null {
  if (flavour === 'debian') return /^[A-Za-z0-9_-]+$/.test(name) ? null : 'Debian\'s cron reads only file names made of letters, digits, "_" and "-"';
  if (/^[.#]|~$|\.rpm(?:save|orig|new)$/.test(name)) return 'cronie skips hidden files, "#..." and "...~" files, and .rpmsave, .rpmorig, .rpmnew';
  return null;
}

/**
 * Why cron refuses a system crontab (/etc/crontab, /etc/cron.d/*) by its owner or mode, or null when it reads
 * it. `link` is the lstat of the name, `file` the stat of what it names. Both crons want a regular file
 * owned by root; Debian's refuses one group- or other-writable, more than one hard link, or a symbolic link
 * not owned by root; cronie refuses any mode but read for the owner, write optional (mode & 07533 == 0400).
 */
export function refusedFile(link: Stats, file: Stats, flavour: CronFlavour): string | null {
  if (flavour === 'debian' && link.isSymbolicLink() && link.uid !== 0) return `it is a symbolic link owned by uid ${link.uid}, not root`;
  if (file.uid !== 0) return `it is owned by uid ${file.uid}, not root`;
  if (!file.isFile()) return 'it is not a regular file';
  const mode = (file.mode & 0o7777).toString(8).padStart(4, '0');
  if (flavour === 'debian') {
    if (file.mode & 0o022) return `its mode ${mode} lets ${file.mode & 0o002 ? 'others' : 'its group'} write it`;
    if (file.nlink !== 1) return `it has ${file.nlink} hard links`;
    return null;
  }
  if ((file.mode & 0o7533) !== 0o400) return `its mode ${mode} is not one cronie accepts (owner read and write only, e.g. 0644)`;
  return null;
}
