/** The nominal wait before attempt k+1 after attempt k failed: min(first·2^(k-1), max) (SPEC §2). */
export function nominalDelayMs(failedAttempt: number, firstMs: number, maxMs: number): number {
  return Math.min(firstMs * 2 ** (failedAttempt - 1), maxMs);
}

/** The real wait: uniformly random in [nominal/2, nominal], so jobs retrying together spread out. */
export function backoffDelayMs(failedAttempt: number, firstMs: number, maxMs: number, random: () => number = Math.random): number {
  const nominal = nominalDelayMs(failedAttempt, firstMs, maxMs);
  return Math.round(nominal / 2 + random() * (nominal / 2));
}
