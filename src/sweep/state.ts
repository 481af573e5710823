import type { Problem, WatcherNote } from '../shared/sweep-model.ts';
import type { Finding } from './running.ts';

/** How this sweep's findings compare with the problems left open by the previous ones. */
export interface Reconciled {
  /** New problems (and transient ones): reported now. */
  reported: Problem[];
  /** Open problems no longer found: reported once, then closed. */
  resolved: Problem[];
  /** Every problem current after this sweep. */
  current: Problem[];
  opened: Problem[];
  closed: Array<Pick<Problem, 'job' | 'kind'>>;
}

/** A problem's identity: one per job and kind. */
const key = (p: Pick<Problem, 'job' | 'kind'>): string => `${p.job}\0${p.kind}`;
/** A finding as stored and printed, without the sweep's own flag. */
const plain = ({ transient: _, ...p }: Finding): Problem => p;

/**
 * The problem state machine: a problem is reported when it appears and once when it goes away, not at
 * every sweep in between. A transient finding (a run just marked lost) is reported in this sweep only:
 * it is never kept open, so it is never "resolved" either; the job's `failing` takes over from it.
 */
export function reconcile(findings: readonly Finding[], open: readonly Problem[]): Reconciled {
  const openByKey = new Map(open.map((p) => [key(p), p]));
  const found = new Set(findings.map(key));
  const r: Reconciled = { reported: [], resolved: [], current: [], opened: [], closed: [] };
  for (const f of findings) {
    const before = openByKey.get(key(f));
    if (f.transient) {
      r.reported.push(plain(f));
      r.current.push(plain(f));
      if (before) r.closed.push(before);
    } else if (before) {
      r.current.push(before);
    } else {
      r.reported.push(plain(f));
      r.current.push(plain(f));
      r.opened.push(plain(f));
    }
  }
  for (const p of open) {
    if (!found.has(key(p))) {
      r.resolved.push(p);
      r.closed.push(p);
    }
  }
  return r;
}


/**
 * Watches the watcher. The usual interval is the median gap between the latest sweeps; it takes three
 * earlier sweeps (two gaps) to know one, so a fresh install or a test's clock jumps raise no alarm.
 */
export function watchTheWatcher(earlier: readonly string[], at: number): WatcherNote {
  const previousAt = earlier[0] ?? null;
  const times = earlier.slice(0, 11).map((t) => Date.parse(t));
  const gaps = times.slice(1).map((t, i) => (times[i] as number) - t).filter((g) => g > 0).sort((a, b) => a - b);
  const usualMs = gaps.length >= 2 ? (gaps[Math.floor(gaps.length / 2)] as number) : null;
  const late = previousAt !== null && usualMs !== null && at - Date.parse(previousAt) > 2 * usualMs;
  return { previousAt, usualMs, late };
}
