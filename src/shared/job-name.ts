import { createHash } from 'node:crypto';
import { basename } from 'node:path';

/** What --name accepts (SPEC §2). */
export const JOB_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/**
 * The stable name of an unnamed job: command basename, '-', 8 hex digits of SHA-256 of the argv (SPEC §2).
 * Shared by the run mode and the crontab reader, which must derive the very same name from a crontab line.
 */
export function derivedName(argv: readonly string[]): string {
  // One `_` per character, a character outside the BMP included (hence the u flag: no UTF-16 halves).
  const base = basename(argv[0] ?? '').replace(/[^A-Za-z0-9._-]/gu, '_').slice(0, 100);
  const hash = createHash('sha256').update(argv.join('\0')).digest('hex').slice(0, 8);
  return `${base}-${hash}`;
}
