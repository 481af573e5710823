import { constants } from 'node:os';
import { durationOptionText } from './duration.ts';
import type { RunStatus } from './types.ts';

/** "failed (exit 3)", "timeout (SIGTERM)", "killed (SIGKILL)": a status with what ended it. */
export function outcomeText(r: { status: string; exitCode: number | null; signal: string | null }): string {
  if (r.signal) return `${r.status} (${r.signal})`;
  if (r.exitCode !== null && r.status !== 'success') return `${r.status} (exit ${r.exitCode})`;
  return r.status;
}

/**
 * Run statuses from the least to the most alarming: a day's worst outcome is the latest of its runs'
 * statuses in this order (a failure outweighs a timeout, which outweighs a kill, and so on).
 */
export const SEVERITY: readonly RunStatus[] = ['skipped', 'success', 'running', 'killed', 'lost', 'error', 'timeout', 'failed'];

/** 128 + the signal's number, as a shell reports a death by signal. */
export function signalExitCode(signal: string): number {
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 0);
}

/**
 * Why the run ended as it did, for people: a timeout names its limit and the option that set it
 * ("timed out after 2s (--timeout 2s)"); other reasons as recorded.
 */
export function reasonText(r: { status: string; reason: string | null; timeoutMs: number | null }): string | null {
  if (r.status === 'timeout' && r.timeoutMs !== null && (r.reason === null || r.reason === 'timed out')) {
    const limit = durationOptionText(r.timeoutMs);
    return `timed out after ${limit} (--timeout ${limit})`;
  }
  return r.reason;
}

/**
 * The code cronguard exited with for a finished run, as cron saw it, with the signal that ended the
 * command: "124 (SIGTERM)" for a timeout, "137 (SIGKILL)" for a kill, "3" for exit 3; "-" when none.
 */
export function exitText(r: { status: string; exitCode: number | null; signal: string | null }): string {
  if (r.status === 'timeout') return `124${r.signal ? ` (${r.signal})` : ''}`;
  if (r.signal) return `${signalExitCode(r.signal)} (${r.signal})`;
  return r.exitCode === null ? '-' : String(r.exitCode);
}
