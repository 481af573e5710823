/** The signals cronguard forwards to the command's group (SPEC §2 "Signals"). */
export const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT', 'SIGHUP'];

/** Interrupts received by cronguard while a run is under way. */
export interface Interrupts {
  /** The first signal received, or null. */
  readonly received: NodeJS.Signals | null;
  /** Calls `listener` at once if a signal already came, else when one comes. */
  onInterrupt(listener: (signal: NodeJS.Signals) => void): () => void;
  dispose(): void;
}

/** Catches SIGTERM, SIGINT and SIGHUP so the run can stop its command and still finish its record. */
export function catchInterrupts(): Interrupts {
  let received: NodeJS.Signals | null = null;
  const listeners = new Set<(signal: NodeJS.Signals) => void>();
  const handler = (signal: NodeJS.Signals) => {
    if (received) return;
    received = signal;
    for (const listener of listeners) listener(signal);
  };
  for (const signal of FORWARDED_SIGNALS) process.on(signal, handler);
  return {
    get received() {
      return received;
    },
    onInterrupt(listener) {
      if (received) listener(received);
      else listeners.add(listener);
      return () => listeners.delete(listener);
    },
    dispose() {
      for (const signal of FORWARDED_SIGNALS) process.off(signal, handler);
    },
  };
}

/** Sleeps; resolves true early when cronguard is interrupted. */
export function interruptibleSleep(ms: number, interrupts: Interrupts): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { stop(); resolve(false); }, ms);
    const stop = interrupts.onInterrupt(() => { clearTimeout(timer); resolve(true); });
  });
}
