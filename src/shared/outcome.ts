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
