/**
 * What a delivery pass has under way, so that a signal to cronguard while it delivers can stop it at
 * once: the notify commands' process groups are killed and the claimed outbox rows given back (they stay
 * queued for the next cronguard).
 */
const groups = new Set<number>();
const claims = new Set<() => Promise<void>>();

/** Notes a running notify command's process group; returns its untracking. */
export function trackGroup(pgid: number): () => void {
  groups.add(pgid);
  return () => groups.delete(pgid);
}

/** Notes how to give a pass's claimed rows back; returns its untracking. */
export function trackClaim(release: () => Promise<void>): () => void {
  claims.add(release);
  return () => claims.delete(release);
}

/** Kills every notify command still running and gives every claimed row back. */
export async function abortDeliveries(): Promise<void> {
  for (const pgid of groups) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  groups.clear();
  const releases = [...claims];
  claims.clear();
  await Promise.allSettled(releases.map((release) => release()));
}
