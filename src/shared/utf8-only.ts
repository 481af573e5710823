import { readFileSync } from 'node:fs';
import { CronguardError } from './errors.ts';

const strict = new TextDecoder('utf-8', { fatal: true });

/** The NUL-separated entries of a /proc file that are not valid UTF-8, shown with \xNN escapes. */
function invalidEntries(path: string): string[] {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch {
    return [];
  }
  const bad: string[] = [];
  let start = 0;
  for (let i = 0; i <= raw.length; i++) {
    if (i < raw.length && raw[i] !== 0) continue;
    const entry = raw.subarray(start, i);
    start = i + 1;
    try {
      strict.decode(entry);
    } catch {
      bad.push([...entry].map((b) => (b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`)).join(''));
    }
  }
  return bad;
}

/**
 * Node hands its program arguments and environment over as UTF-8 text: bytes that are not UTF-8 become
 * U+FFFD and could only reach the command changed. So the run refuses them (125, nothing run) rather than
 * run the command with different bytes. Only when a U+FFFD shows up are the raw bytes in /proc looked at
 * (a real U+FFFD typed as UTF-8 is fine), so a normal run pays for one scan of its strings.
 */
export function refuseNonUtf8(argv: readonly string[], env: NodeJS.ProcessEnv): void {
  if (argv.some((a) => a.includes('\uFFFD'))) {
    const [bad] = invalidEntries('/proc/self/cmdline');
    if (bad !== undefined) throw new CronguardError(`argument "${bad}" is not valid UTF-8: cronguard cannot pass it to the command unchanged`);
  }
  if (Object.values(env).some((v) => v?.includes('\uFFFD'))) {
    const [bad] = invalidEntries('/proc/self/environ');
    if (bad !== undefined) {
      const name = bad.slice(0, Math.max(0, bad.indexOf('=')));
      throw new CronguardError(`environment variable ${name || `"${bad}"`} is not valid UTF-8: cronguard cannot pass it to the command unchanged`);
    }
  }
}
