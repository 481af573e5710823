import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, lstatSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { CronguardError, describeError, EXIT } from '../shared/errors.ts';

/**
 * Writes a file others read (a web server, node_exporter) so that no reader ever sees half of it: the
 * text goes to a new temporary file beside it (created exclusively, so never through a link planted under
 * that name), mode 0644 whatever the umask, flushed, then renamed over the target. A target that is a
 * symbolic link is refused rather than replaced or followed (SPEC §9).
 */
export function writePublicFile(option: string, path: string, text: string): void {
  const target = resolve(path);
  const fail = (why: string, cause?: unknown) => new CronguardError(`cannot write ${option} ${JSON.stringify(target)}: ${why}`, EXIT.failure, { cause });
  try {
    const existing = lstatSync(target);
    if (existing.isSymbolicLink()) throw fail('it is a symbolic link, and cronguard never writes through one');
    if (!existing.isFile()) throw fail('it is not a regular file');
  } catch (error) {
    if (error instanceof CronguardError) throw error;
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw fail(describeError(error), error);
  }
  const temp = `${target}.tmp-${randomBytes(6).toString('hex')}`;
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeSync(fd, text);
      fchmodSync(fd, 0o644);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw fail(describeError(error), error);
  }
}
