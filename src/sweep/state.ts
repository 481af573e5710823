import { problemKey, type OpenProblem, type Problem, type ProblemKey, type ScheduleEntry, type WatcherNote } from '../shared/sweep-model.ts';
import { DEFAULT_GRACE_MS } from './overdue.ts';
import type { Finding } from './running.ts';

/** How this sweep's findings compare with the problems left open by the previous ones. */
export interface Reconciled {
  /** New problems (and transient ones, and news an earlier sweep left unprinted): reported now. */
  reported: Problem[];
  /** Problems no longer found that were reported (or whose resolution is still unprinted): reported now. */
  resolved: Problem[];
  /** Every problem current after this sweep, with this sweep's facts (its `since` kept from when it opened). */
  current: Problem[];
  /** The transient ones among them (a run just marked lost): told in this sweep only, never resolved. */
  transient: Problem[];
  opened: Problem[];
  closed: ProblemKey[];
  resolving: ProblemKey[];
  reopened: ProblemKey[];
}

/** A finding as stored and printed, without the sweep's own flag. */
const plain = ({ transient: _, ...p }: Finding): Problem => p;
/** A stored problem as printed. */
const asProblem = ({ reported: _r, resolvedAt: _a, ...p }: OpenProblem): Problem => p;

/**
 * The problem state machine: a problem is reported when it appears and once when it goes away, not at
 * every sweep in between. News counts as told only once a sweep has printed it (markReported): news a
 * sweep decided but never printed (it crashed) is reported by the next one. A transient finding (a run
 * just marked lost) is reported in this sweep only: never kept open, never "resolved"; the job's
 * `failing` takes over from it.
 */
export function reconcile(findings: readonly Finding[], open: readonly OpenProblem[]): Reconciled {
  const openByKey = new Map(open.map((p) => [problemKey(p), p]));
  const found = new Set(findings.map(problemKey));
  const r: Reconciled = { reported: [], resolved: [], current: [], transient: [], opened: [], closed: [], resolving: [], reopened: [] };
  for (const f of findings) {
    const before = openByKey.get(problemKey(f));
    const now = before ? { ...plain(f), since: before.since } : plain(f);
    r.current.push(now);
    if (f.transient) {
      r.reported.push(now);
      r.transient.push(now);
      if (before) r.closed.push(before);
    } else if (!before) {
      r.reported.push(now);
      r.opened.push(now);
    } else {
      if (before.resolvedAt !== null) r.reopened.push(before);
      if (!before.reported) r.reported.push(now);
    }
  }
  for (const p of open) {
    if (found.has(problemKey(p))) continue;
    if (p.reported || p.resolvedAt !== null) {
      r.resolved.push(asProblem(p));
      if (p.resolvedAt === null) r.resolving.push(p);
    } else {
      r.closed.push(p);
    }
  }
  return r;
}

/** cron's finest schedule: one minute. */
const CRON_TICK_MS = 60_000;

/**
 * Watches the watcher. When sweep's own crontab line is known (`expected`: its next start after the
 * previous sweep), a sweep later than that plus the default grace is late. Otherwise the usual interval
 * is the median gap between the latest sweeps; it takes three earlier sweeps (two gaps) to know one, so a
 * fresh install or a test's clock jumps raise no alarm.
 */
export function watchTheWatcher(earlier: readonly string[], at: number, expected: { at: number; entry: ScheduleEntry } | null = null): WatcherNote {
  const previousAt = earlier[0] ?? null;
  const times = earlier.slice(0, 11).map((t) => Date.parse(t));
  const gaps = times.slice(1).map((t, i) => (times[i] as number) - t)
    // cron starts nothing more often than once a minute: a shorter gap is not cron's spacing (a script, a retry).
    .filter((g) => g >= CRON_TICK_MS).sort((a, b) => a - b);
  const usualMs = gaps.length >= 2 ? (gaps[Math.floor(gaps.length / 2)] as number) : null;
  if (expected) {
    const line = { at: new Date(expected.at).toISOString(), schedule: expected.entry.schedule, source: expected.entry.source, graceMs: DEFAULT_GRACE_MS };
    return { previousAt, usualMs, late: at > expected.at + DEFAULT_GRACE_MS, expected: line };
  }
  const late = previousAt !== null && usualMs !== null && at - Date.parse(previousAt) > 2 * usualMs;
  return { previousAt, usualMs, late };
}
