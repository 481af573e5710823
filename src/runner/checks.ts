import { EXIT } from '../shared/errors.ts';
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

/**
 * Turns a successful verdict into a failure when a check fails: status `failed` with the reason recorded,
 * the command's own exit code kept, and 1 as the code cronguard exits with (the command said 0).
 */
export function applyChecks(verdict: Verdict, checks: AttemptChecks, durationMs: number, matched: string | null, matchGaveUp: string | null = null): Verdict {
  if (verdict.status !== 'success') return verdict;
  let reason: string | null = null;
  // Matching given up (see LineMatcher) fails nothing, but the record says the output was not fully checked.
  if (matched === null && matchGaveUp !== null) verdict = { ...verdict, reason: [verdict.reason, `--fail-on-output not fully checked: ${matchGaveUp}`].filter(Boolean).join('; ') };
  if (matched !== null) {
    reason = `output matched --fail-on-output: ${quote(matched.length > 200 ? `${matched.slice(0, 200)}...` : matched)}`;
  } else if (checks.minDurationMs !== null && durationMs < checks.minDurationMs) {
    reason = `finished in ${formatDuration(durationMs)}, under --min-duration ${formatDuration(checks.minDurationMs)}`;
  }
  return reason === null ? verdict : { ...verdict, status: 'failed', code: EXIT.failure, reason };
}
