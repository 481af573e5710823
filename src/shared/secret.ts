import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { badOption } from './errors.ts';

/** A secret file larger than this is not a URL or a command line: refused rather than read. */
const MAX_SECRET_BYTES = 64 * 1024;

/**
 * The text of a secret given as `@/path` (SPEC §9: secrets stay off the command line, where `ps` shows
 * them to every local user). The file must belong to the user cronguard runs as (or root) and be neither
 * readable nor writable by group or others: a file another user could read leaks the secret, one they
 * could write (or own) would choose where root's notifications go or what command it runs. The checks are
 * made on the opened file, so what is checked is what is read. Surrounding whitespace (the newline an
 * editor or `echo` leaves) is dropped. Throws the one-line usage error naming the option (exit 125).
 */
export function readSecretFile(path: string, flag: string, given: string): string {
  if (!path.startsWith('/')) throw badOption(flag, given, 'expected @ followed by an absolute file path');
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch (error) {
    throw badOption(flag, given, `cannot read the file: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    const stat = fstatSync(fd);
    const me = process.geteuid?.() ?? 0;
    if (!stat.isFile()) throw badOption(flag, given, 'not a regular file');
    if (stat.uid !== me && stat.uid !== 0) throw badOption(flag, given, `the file belongs to uid ${stat.uid}, not to you (uid ${me}) or root`);
    if ((stat.mode & 0o066) !== 0) {
      const mode = (stat.mode & 0o777).toString(8).padStart(4, '0');
      throw badOption(flag, given, `the file is readable or writable by group or others (mode ${mode}); chmod 600 it`);
    }
    if (stat.size > MAX_SECRET_BYTES) throw badOption(flag, given, `the file is larger than ${MAX_SECRET_BYTES} bytes`);
    const buffer = Buffer.alloc(MAX_SECRET_BYTES + 1);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, length).toString('utf8').trim();
    if (text === '') throw badOption(flag, given, 'the file is empty');
    return text;
  } finally {
    closeSync(fd);
  }
}
