import { StringDecoder } from 'node:string_decoder';
import { formatDuration } from '../shared/duration.ts';
import { quote } from '../shared/neutralise.ts';
import type { Verdict } from './classify.ts';

/** Checks beyond the exit code that can fail an attempt the command itself thought a success. */
export interface AttemptChecks {
  /** An attempt finishing faster than this failed (it probably did nothing). */
  minDurationMs: number | null;
  /** Output with a line matching this failed (the command hid its failure behind exit 0). */
  failOnOutput: RegExp | null;
}

/** Lines longer than this are tested in pieces of this size: memory stays bounded whatever the command prints. */
const MAX_LINE = 64 * 1024;

/** Tests every line of the whole output stream (not only the kept part) against a regex, as grep would. */
export class LineMatcher {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  /** The first matching line, or null. */
  matched: string | null = null;

  constructor(private readonly regex: RegExp) {}

  /** Takes one chunk of output. */
  write(chunk: Uint8Array): void {
    if (this.matched !== null) return;
    const lines = (this.partial + this.decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) if (this.test(line)) return;
    while (this.partial.length > MAX_LINE) {
      if (this.test(this.partial.slice(0, MAX_LINE))) return;
      this.partial = this.partial.slice(MAX_LINE);
    }
  }

  /** Tests what is left of the last line once the output ended. */
  end(): void {
    if (this.matched === null) this.test(this.partial + this.decoder.end());
  }

  /** Tests one line; remembers it when it matches. */
  private test(line: string): boolean {
    const text = line.endsWith('\r') ? line.slice(0, -1) : line;
    this.regex.lastIndex = 0;
    if (!this.regex.test(text)) return false;
    this.matched = text;
    return true;
  }
}

/**
 * Turns a successful verdict into a failure when a check fails: status `failed` with the reason recorded,
 * the command's own exit code kept, and 1 as the code cronguard exits with (the command said 0).
 */
export function applyChecks(verdict: Verdict, checks: AttemptChecks, durationMs: number, matched: string | null): Verdict {
  if (verdict.status !== 'success') return verdict;
  let reason: string | null = null;
  if (matched !== null) {
    reason = `output matched --fail-on-output: ${quote(matched.length > 200 ? `${matched.slice(0, 200)}...` : matched)}`;
  } else if (checks.minDurationMs !== null && durationMs < checks.minDurationMs) {
    reason = `finished in ${formatDuration(durationMs)}, under --min-duration ${formatDuration(checks.minDurationMs)}`;
  }
  return reason === null ? verdict : { ...verdict, status: 'failed', code: 1, reason };
}
