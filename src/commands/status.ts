import { EXIT } from '../shared/errors.ts';
import type { CommandMain } from './context.ts';
import { type StatusLine, statusJson, statusLayout, statusText } from '../report/status.ts';
import { makeStyle, outputWidth } from '../report/style.ts';
import { systemClock } from '../shared/time.ts';
import type { JobFacts, ScheduleEntry } from '../shared/sweep-model.ts';
import type { RunStrip, Store } from '../store/store.ts';
import { ScheduleCache, schedulesOf } from '../sweep/overdue.ts';
import { withStore } from './forensics.ts';
import { openStore } from '../store/open.ts';
import { storeTargetOf } from './store-target.ts';

/** `cronguard status`: one line per job (from runs and crontabs), and when sweep last ran. Read-only. */
export const statusMain: CommandMain = async (args, ctx) => {
  const store = await openStore(storeTargetOf(args, ctx), 'read');
  const host = typeof args.options['host'] === 'string' ? args.options['host'] : undefined;
  const json = args.options['json'] === true;
  const now = systemClock.now().getTime();
  const cache = new ScheduleCache();
  const width = outputWidth(ctx.stdoutIsTTY, ctx.stdoutColumns, ctx.env);
  const read = async (s: Store | null) => {
    const lines = s ? (await s.sweep.jobs(host)).map((job) => statusLine(job, now, cache)) : [];
    // The strips' width depends on the other columns: laid out first, then exactly that many runs are read.
    const layout = statusLayout(lines, width);
    const dots = json || !s ? new Map<string, RunStrip>() : await s.report.lastRuns(lines.map((l) => l.job), layout.cells, host);
    return { lines, layout, dots, lastSweepAt: s ? await s.sweep.lastSweepAt() : null };
  };
  const { lines, layout, dots, lastSweepAt } = store ? await withStore(store, 'read', read) : await read(null);
  ctx.stdout(json ? statusJson(lastSweepAt, lines) : statusText(lastSweepAt, lines, now, makeStyle(ctx.stdoutIsTTY, ctx.env), layout, dots));
  return EXIT.ok;
};

/** A job's status line: its schedules (the crontab's win), latest run, next expected start and failure streak. */
export function statusLine(job: JobFacts, now: number, cache: ScheduleCache): StatusLine {
  const entries = schedulesOf(job);
  let next: number | null = null;
  for (let i = 0; i < entries.length; i++) {
    const t = cache.firstStartAfter(entries[i] as ScheduleEntry, now, null);
    if (t !== null && (next === null || t < next)) next = t;
  }
  // One schedule, the usual case, needs no lists built (a thousand jobs).
  const only = entries.length === 1 ? entries[0] : undefined;
  return {
    job: job.job,
    schedule: only ? only.schedule : entries.length ? entries.map((e) => e.schedule).join('; ') : null,
    tz: only ? only.tz : zonesOf(entries),
    lastStatus: job.last?.status ?? null,
    lastStartedAt: job.last?.startedAt ?? null,
    lastDurationMs: job.last?.durationMs ?? null,
    lastHost: job.last?.host ?? null,
    nextExpectedAt: next === null ? null : cache.startText(next),
    failureStreak: job.streak.count,
  };
}

/** The zones of several schedules: the one they share, or each named ('system' for none), or null for no schedule. */
function zonesOf(entries: readonly ScheduleEntry[]): string | null {
  const zones = [...new Set(entries.map((e) => e.tz))];
  return zones.length === 1 ? (zones[0] ?? null) : zones.length ? zones.map((z) => z ?? 'system').join('; ') : null;
}
