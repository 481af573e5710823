import { EXIT } from '../shared/errors.ts';
import type { CommandMain } from './context.ts';
import { type StatusLine, statusJson, statusText } from '../report/status.ts';
import { makeStyle } from '../report/style.ts';
import { firstStartAfter } from '../schedule/walk.ts';
import { safeFields } from '../shared/neutralise.ts';
import { systemClock } from '../shared/time.ts';
import type { JobFacts } from '../shared/sweep-model.ts';
import { ScheduleCache, schedulesOf } from '../sweep/overdue.ts';
import { withStore } from './forensics.ts';
import { openStore } from '../store/open.ts';
import { storeTargetOf } from './store-target.ts';

/** `cronguard status`: one line per job (from runs and crontabs), and when sweep last ran. Read-only. */
export const statusMain: CommandMain = async (args, ctx) => {
  const store = await openStore(storeTargetOf(args, ctx), 'read');
  const { jobs, lastSweepAt } = store
    ? await withStore(store, 'read', async (s) => ({ jobs: await s.sweep.jobs(), lastSweepAt: await s.sweep.lastSweepAt() }))
    : { jobs: [] as JobFacts[], lastSweepAt: null };
  const now = systemClock.now().getTime();
  const cache = new ScheduleCache();
  const lines = jobs.map((job) => statusLine(job, now, cache));
  ctx.stdout(args.options['json'] ? statusJson(lastSweepAt, lines) : statusText(safeFields(lastSweepAt), safeFields(lines), now, makeStyle(ctx.stdoutIsTTY, ctx.env)));
  return EXIT.ok;
};

/** A job's status line: its schedules (the crontab's win), latest run, next expected start and failure streak. */
function statusLine(job: JobFacts, now: number, cache: ScheduleCache): StatusLine {
  const entries = schedulesOf(job);
  let next: number | null = null;
  for (const entry of entries) {
    const schedule = cache.get(entry);
    const t = typeof schedule === 'string' ? null : firstStartAfter(schedule, now, null);
    if (t !== null && (next === null || t < next)) next = t;
  }
  const zones = [...new Set(entries.map((e) => e.tz))];
  return {
    job: job.job,
    schedule: entries.length ? entries.map((e) => e.schedule).join('; ') : null,
    tz: zones.length === 1 ? (zones[0] ?? null) : zones.length ? zones.map((z) => z ?? 'system').join('; ') : null,
    lastStatus: job.last?.status ?? null,
    lastStartedAt: job.last?.startedAt ?? null,
    lastDurationMs: job.last?.durationMs ?? null,
    nextExpectedAt: next === null ? null : new Date(next).toISOString(),
    failureStreak: job.streak.count,
  };
}
