import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../shared/duration.ts';
import { localTime } from '../shared/local-time.ts';
import type { Problem } from '../shared/sweep-model.ts';
import type { WatcherNote } from '../shared/sweep-model.ts';
import { table } from './style.ts';

/** A stored ISO time as this host's clock shows it, whole minutes without seconds. */
const wall = (iso: string | null): string => localTime(iso, true);

/** A problem in the stable JSON shape of SPEC §4 (keys in this order). */
export function problemJson(p: Problem): Problem {
  return { job: p.job, kind: p.kind, since: p.since, runId: p.runId, message: p.message };
}

/** `sweep --json`: {"at", "problems", "resolved"}. */
export function sweepJson(at: string, problems: readonly Problem[], resolved: readonly Problem[]): string {
  return `${JSON.stringify({ at, problems: problems.map(problemJson), resolved: resolved.map(problemJson) }, null, 2)}\n`;
}

/** The human report: a headline, one row per problem, and when the previous sweep ran. */
export function sweepText(
  at: string, problems: ReadonlyArray<Problem & { fresh: boolean }>, resolved: readonly Problem[],
  watcher: WatcherNote, style: ChalkInstance,
): string {
  const fresh = problems.filter((p) => p.fresh).length;
  const counts = [
    fresh ? `${fresh} new problem${fresh > 1 ? 's' : ''}` : '',
    problems.length > fresh ? `${problems.length - fresh} still open` : '',
    resolved.length ? `${resolved.length} resolved` : '',
  ].filter(Boolean);
  let text = `cronguard sweep at ${wall(at)}: ${counts.join(', ') || 'no problems'}\n`;
  const rows = [
    ...problems.map((p) => [p.fresh ? style.red('NEW') : style.yellow('OPEN'), p.kind, p.job, wall(p.since), p.message]),
    ...resolved.map((p) => [style.green('RESOLVED'), p.kind, p.job, wall(p.since), p.message]),
  ];
  if (rows.length > 0) text += table(['', 'KIND', 'JOB', 'SINCE', 'WHAT'], rows, style);
  text += `${watcherText(at, watcher)}\n`;
  return text;
}

/** When the previous sweep ran, and an alarm when that is more than twice the usual interval ago. */
export function watcherText(at: string, w: WatcherNote): string {
  if (w.previousAt === null) return 'this is the first sweep of this database';
  const ago = formatDuration(Math.max(0, Date.parse(at) - Date.parse(w.previousAt)));
  if (!w.late) return `previous sweep: ${wall(w.previousAt)} (${ago} earlier)`;
  if (w.expected) {
    return `cronguard: the previous sweep ran at ${wall(w.previousAt)}, ${ago} earlier, but sweep's crontab line (${w.expected.schedule}, ${w.expected.source}) `
      + `called for one at ${wall(w.expected.at)} (grace ${formatDuration(w.expected.graceMs)}); were cron or this host down?`;
  }
  return `cronguard: the previous sweep ran at ${wall(w.previousAt)}, ${ago} earlier: more than twice the usual ${formatDuration(w.usualMs ?? 0)}; were cron or this host down?`;
}
