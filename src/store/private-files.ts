import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, realpathSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Where cronguard keeps its files (database, WAL, spool, claims), checked before anything is written
 * (SPEC §9, the idea of OpenSSH's StrictModes): the directory and every directory above it belong to the
 * user cronguard runs as or to root, and none can be written by group or others, except that an ancestor
 * with the sticky bit (/tmp) may, since no one else can then rename what lies in it. The directory is
 * resolved first and every file is then named through the resolved path, so a symbolic link in the path
 * cannot be turned elsewhere once checked; the files themselves are never opened through a symbolic link.
 * A failed check is an error whose message says why: the database then counts as unavailable.
 */
class UntrustedPath extends Error {
  override readonly name = 'UntrustedPath';
}

const me = (): number => process.geteuid?.() ?? 0;

/** The octal mode of a stat, as ls shows it: 0755. */
const modeText = (mode: number): string => (mode & 0o7777).toString(8).padStart(4, '0');

/**
 * Makes sure `file`'s directory exists (created 0700 when `create`, as every directory cronguard creates)
 * and may hold our files; returns the file's path through the resolved directory, or throws UntrustedPath.
 */
export function privatePath(file: string, create = true): string {
  const dir = dirname(file);
  if (create) mkdirSync(dir, { recursive: true, mode: 0o700 });
  const real = realpathSync(dir);
  const parts = real.split('/').filter((p) => p !== '');
  for (let i = 0; i <= parts.length; i++) {
    const path = `/${parts.slice(0, i).join('/')}`;
    const stat = lstatSync(path);
    if (stat.uid !== me() && stat.uid !== 0) {
      throw new UntrustedPath(`directory ${path} belongs to uid ${stat.uid}, not to you (uid ${me()}) or root`);
    }
    const othersWrite = (stat.mode & 0o022) !== 0;
    const sticky = (stat.mode & 0o1000) !== 0;
    if (othersWrite && (i === parts.length || !sticky)) {
      throw new UntrustedPath(`directory ${path} is writable by group or others (mode ${modeText(stat.mode)})`);
    }
  }
  return join(real, basename(file));
}

/** Checks a file we opened (never through a link): a regular file of ours (or root's) that no one else can write. */
function checkOpened(fd: number, path: string): void {
  const stat = fstatSync(fd);
  if (!stat.isFile()) throw new UntrustedPath(`${path} is not a regular file`);
  if (stat.uid !== me() && stat.uid !== 0) throw new UntrustedPath(`${path} belongs to uid ${stat.uid}, not to you (uid ${me()}) or root`);
  if ((stat.mode & 0o022) !== 0) throw new UntrustedPath(`${path} is writable by group or others (mode ${modeText(stat.mode)})`);
}

/** Opens `path` (a checked path) for `flags`, refusing a symbolic link with a message that says so. */
function openNoFollow(path: string, flags: number): number {
  try {
    return openSync(path, flags | constants.O_NOFOLLOW, 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new UntrustedPath(`${path} is a symbolic link`);
    throw error;
  }
}

/**
 * Prepares the database file: its directory checked, the file created 0600 if missing (before SQLite
 * would create it with the umask), never through a link, ours. Returns the path to open it by.
 */
export function preparePrivateFile(file: string): string {
  const path = privatePath(file);
  const fd = openNoFollow(path, constants.O_RDWR | constants.O_CREAT);
  try {
    checkOpened(fd, path);
  } finally {
    closeSync(fd);
  }
  return path;
}

/** Appends `text` to a file of ours with one O_APPEND write (concurrent writers never interleave), 0600. */
export function appendPrivately(file: string, text: string): void {
  const path = privatePath(file);
  const fd = openNoFollow(path, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT);
  try {
    checkOpened(fd, path);
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
}

/**
 * Replaces `file` with `text` atomically: written to a temporary file under a random name, created
 * exclusively (never through a link) with `mode`, then renamed over it, so a reader never sees half a
 * file and nothing at the file's name can redirect the write.
 */
export function replacePrivately(file: string, text: string, mode: number): void {
  const path = privatePath(file, false);
  const temp = `${path}.tmp-${randomBytes(6).toString('hex')}`;
  const fd = openNoFollow(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
  try {
    try {
      fchmodSync(fd, mode);
      writeSync(fd, text);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
