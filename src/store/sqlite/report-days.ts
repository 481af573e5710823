import { SEVERITY } from '../../shared/outcome.ts';
import { durationSummaryOfListed } from '../../shared/percentile.ts';
import type { RunStatus } from '../../shared/types.ts';
import type { PeriodFigures, Periods } from '../store.ts';
import { FINISHED_SQL, SEVERITY_SQL } from '../status-sql.ts';
import type { SqliteDatabase } from './database.ts';
import { runDaysPending } from './run-days.ts';

/**
 * The runs of one host only (--host): a condition added only when a host is asked for, as the host is not
 * in the covering index (naming it at all, even as `@host IS NULL OR`, would make every query read table rows).
 */
export const ofHost = (host: string | undefined, column = 'host'): string => (host === undefined ? '' : ` AND ${column} = @host`);
export const hostParam = (host: string | undefined): { host?: string } => (host === undefined ? {} : { host });

/** A period's figures as the direct query lists them: counts, the worst outcome, the finished runs' durations. */
type PeriodRow = [number, number, number, number, number, unknown[]];

/**
 * Per job and period straight from runs (with --host, before the summaries are built, for the periods they
 * cannot stand for, and as the reference they must equal). Percentiles as stats computes them (stats.ts):
 * nearest rank over the finished runs' durations, which SQLite hands over as one JSON array per period for
 * cronguard to rank (percentile_disc sorted a copy for each of the three it took). One aggregate subquery
 * per period, over its range of the index: no GROUP BY, so SQLite never sorts the rows to group them (a
 * sixth cheaper than a join grouped by period).
 */
export function directFigures(db: SqliteDatabase, host: string | undefined): (job: string, periods: Periods) => PeriodFigures[] {
  const statement = db.prepare(`SELECT key, (SELECT json_array(count(*), max(${SEVERITY_SQL}),
      sum(status IN ('failed', 'error', 'lost')), sum(status = 'timeout'), sum(status = 'killed'),
      json_group_array(duration_ms) FILTER (WHERE ${FINISHED_SQL}))
    FROM runs WHERE job = @job AND started_at >= value ->> 0 AND started_at < value ->> 1${ofHost(host)}) FROM json_each(@periods)`).raw();
  return (job, periods) => (statement.all({ periods: JSON.stringify(periods.map((p) => [p.from, p.to])), job, ...hostParam(host) }) as Array<[number, string]>)
    .flatMap(([period, figures]): PeriodFigures[] => {
      const [runs, worst, failures, timeouts, killed, durations] = JSON.parse(figures) as PeriodRow;
      // A period without runs answers a count of 0: no row for it.
      return runs === 0 ? [] : [{ job, period, runs, worst: SEVERITY[worst] as RunStatus, failures, timeouts, killed, ...durationSummaryOfListed(durations) }];
    });
}

/**
 * A period [lo, hi) that a day summary can stand for: lo begins with a plain day D (digits and dashes, as
 * every UTC midnight does) and hi is at or after D's last text D↑ (D with its last character raised, see
 * run-days.ts). Its runs are then D's, less those before lo, plus those in [D↑, hi): the period is D's
 * summary with D's running runs when D's earliest start is not before lo and no day of runs in [D↑, hi)
 * holds one before hi (a malformed time's "day" there, or hi's own day with a start before hi). ASCII only,
 * so that JavaScript compares as SQLite does.
 */
interface DayPeriod { i: number; day: string; lo: string; dayEnd: string; hi: string }

/** The period as a day summary's, or null when it cannot be one. */
function dayOf(period: { from: string; to: string }, i: number): DayPeriod | null {
  if (!/^\d{4}-\d\d-\d\d[\x20-\x7e]*$/.test(period.from) || !/^[\x20-\x7e]*$/.test(period.to)) return null;
  const day = period.from.slice(0, 10);
  const dayEnd = day.slice(0, 9) + String.fromCharCode(day.charCodeAt(9) + 1);
  return period.to >= dayEnd ? { i, day, lo: period.from, dayEnd, hi: period.to } : null;
}

/** The stored summaries and the dirty marks of every job's days from @from to before @to (a range of each table's key). */
const STORED_SQL = `SELECT job, day, runs, others, worst, failed, summary, first FROM run_days WHERE day >= @from AND day < @to`;
const DIRTY_SQL = `SELECT job, day FROM run_days_dirty WHERE day >= @from AND day < @to`;

/** The running runs per job and period of @periods ([lo, hi] each; summaries leave them out), from the small runs_running index. */
const RUNNING_SQL = `SELECT r.job, p.key, count(*) FROM runs r INDEXED BY runs_running CROSS JOIN json_each(@periods) p
  WHERE r.status = 'running' AND r.started_at >= p.value ->> 0 AND r.started_at < p.value ->> 1 GROUP BY r.job, p.key`;

type StoredRow = [string, string, number, number, number, string | null, string, string];

/** A stored day's [p50, p95, max] (run-days.ts), or nulls for no day. */
function summaryOf(summary: string | undefined): Pick<PeriodFigures, 'p50Ms' | 'p95Ms' | 'maxMs'> {
  const [p50Ms, p95Ms, maxMs] = summary === undefined ? [null, null, null] : JSON.parse(summary) as Array<number | null>;
  return { p50Ms: p50Ms ?? null, p95Ms: p95Ms ?? null, maxMs: maxMs ?? null };
}

/** A day summary with its running runs, as the figures the direct query gives (null for a day without runs). */
function figuresOf(job: string, period: number, row: StoredRow | undefined, running: number): PeriodFigures | null {
  const runs = (row?.[2] ?? 0) + (row?.[3] ?? 0) + running;
  if (runs === 0) return null;
  const statuses = row?.[5]?.split(',') ?? [];
  const count = (...these: string[]) => statuses.filter((s) => these.includes(s)).length;
  const rank = Math.max(row?.[4] ?? -1, running > 0 ? SEVERITY.indexOf('running') : -1);
  return {
    job, period, runs, worst: SEVERITY[rank] as RunStatus, failures: count('failed', 'error', 'lost'), timeouts: count('timeout'), killed: count('killed'),
    ...summaryOf(row?.[6]),
  };
}

/**
 * Per (period, job), the day summaries that stand for the periods of `eligible` (ascending), and those
 * that cannot: a dirty day, a day whose earliest start is before lo, any day in [D↑, hi) but hi's own day
 * with no start before hi.
 */
function summaries(db: SqliteDatabase, eligible: readonly DayPeriod[]): { stored: Map<string, StoredRow>; unsettled: Set<string> } {
  const stored = new Map<string, StoredRow>();
  const unsettled = new Set<string>();
  const byDay = new Map(eligible.map((e) => [e.day, e]));
  // The period whose [D↑, hi) holds the day, if any (they are disjoint and ascending).
  const around = (day: string): DayPeriod | undefined => {
    let found: DayPeriod | undefined;
    for (let lo = 0, hi = eligible.length - 1; lo <= hi;) {
      const mid = (lo + hi) >>> 1;
      const e = eligible[mid] as DayPeriod;
      if (e.dayEnd <= day) [found, lo] = [e, mid + 1];
      else hi = mid - 1;
    }
    return found !== undefined && day < found.hi ? found : undefined;
  };
  const window = { from: eligible[0]?.day ?? '', to: eligible[eligible.length - 1]?.hi ?? '' };
  const dirty = db.prepare(DIRTY_SQL).raw().all(window) as Array<[string, string]>;
  for (const [job, day] of dirty) for (const e of [byDay.get(day), around(day)]) if (e) unsettled.add(`${e.i} ${job}`);
  for (const row of db.prepare(STORED_SQL).raw().all(window) as StoredRow[]) {
    const [job, day, , , , , , first] = row;
    const own = byDay.get(day);
    if (own && first >= own.lo) stored.set(`${own.i} ${job}`, row);
    else if (own) unsettled.add(`${own.i} ${job}`);
    const before = around(day);
    if (before && !(day === before.hi.slice(0, 10) && first >= before.hi)) unsettled.add(`${before.i} ${job}`);
  }
  return { stored, unsettled };
}

/**
 * store.report.periods from the day summaries (run-days.ts), for the jobs named: each period that is a
 * settled day's summary is read from it, the others (a dirty day, a day with malformed times at its
 * edges, a period that is no UTC day, as in a zone away from UTC) from runs by `direct`, which answers
 * the same, run by run (all of them while the summaries are not built). One read transaction, so that
 * summaries, dirty marks and running runs agree.
 */
export function periodsFromDays(db: SqliteDatabase, periods: Periods, jobs: readonly string[],
  direct: (job: string, periods: Periods) => PeriodFigures[]): PeriodFigures[] {
  const eligible = periods.flatMap((p, i) => dayOf(p, i) ?? []);
  const settled = new Set(eligible.map((e) => e.i));
  return db.transaction(() => {
    // Checked in the transaction: a bulk load marks them pending as it writes runs without the triggers.
    if (runDaysPending(db)) return jobs.flatMap((job) => direct(job, periods));
    const { stored, unsettled } = summaries(db, eligible);
    const running = new Map<string, number>();
    for (const [job, at, n] of db.prepare(RUNNING_SQL).raw().all({ periods: JSON.stringify(eligible.map((e) => [e.lo, e.hi])) }) as Array<[string, number, number]>) {
      running.set(`${eligible[at]?.i} ${job}`, n);
    }
    return jobs.flatMap((job) => {
      const figures: PeriodFigures[] = [];
      const rest: Array<{ from: string; to: string; i: number }> = [];
      periods.forEach((p, i) => {
        const key = `${i} ${job}`;
        if (!settled.has(i) || unsettled.has(key)) rest.push({ ...p, i });
        else {
          const f = figuresOf(job, i, stored.get(key), running.get(key) ?? 0);
          if (f !== null) figures.push(f);
        }
      });
      if (rest.length > 0) for (const f of direct(job, rest)) figures.push({ ...f, period: (rest[f.period] as { i: number }).i });
      return figures.sort((a, b) => a.period - b.period);
    });
  })();
}

/**
 * store.report.periods on SQLite: per job and period the counts, worst outcome and durations of its runs,
 * from the day summaries when they serve (not per host: they are not kept per host; not before they are
 * built), else (or when `direct`, for tests) straight from runs.
 */
export function periodFigures(db: SqliteDatabase, periods: Periods, jobs: readonly string[], host?: string, direct = false): PeriodFigures[] {
  const fromRuns = directFigures(db, host);
  if (direct || host !== undefined) return jobs.flatMap((job) => fromRuns(job, periods));
  return periodsFromDays(db, periods, jobs, fromRuns);
}
