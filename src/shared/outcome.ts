/** "failed (exit 3)", "timeout (SIGTERM)", "killed (SIGKILL)": a status with what ended it. */
export function outcomeText(r: { status: string; exitCode: number | null; signal: string | null }): string {
  if (r.signal) return `${r.status} (${r.signal})`;
  if (r.exitCode !== null && r.status !== 'success') return `${r.status} (exit ${r.exitCode})`;
  return r.status;
}
