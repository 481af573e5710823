/** How old a running run's heartbeat may be before it counts as stale: 3 heartbeats, at least 5 minutes (SPEC §4). */
export function staleAfterMs(heartbeatMs: number): number {
  return Math.max(3 * heartbeatMs, 300_000);
}
