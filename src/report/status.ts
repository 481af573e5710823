import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../shared/duration.ts';
import { offsetMs, wallText } from '../schedule/zone.ts';
import { storedMs } from '../shared/stored.ts';
import { durationText, localTime } from '../shared/local-time.ts';
import { neutraliseLine } from '../shared/neutralise.ts';
import type { RunStrip } from '../store/store.ts';
import { runStrip, sparkline } from './strip.ts';
import { characters, remembered, styleStatus, table, widest } from './style.ts';

/** One job's line of `cronguard status`, in the JSON shape of SPEC §6. */
export interface StatusLine {
  job: string;
  schedule: string | null;
  tz: string | null;
  lastStatus: string | null;
  lastStartedAt: string | null;
  lastDurationMs: number | null;
  /** The host of the latest run (the table shows it when jobs ran on more than one host; the JSON always, last). */
  lastHost?: string | null;
  nextExpectedAt: string | null;
  failureStreak: number;
}

/** `status --json`: {"lastSweepAt", "jobs"} with each job's keys in SPEC order. */
export function statusJson(lastSweepAt: string | null, jobs: readonly StatusLine[]): string {
  const lines = jobs.map((j) => ({
    job: j.job, schedule: j.schedule, tz: j.tz, lastStatus: j.lastStatus, lastStartedAt: j.lastStartedAt,
    lastDurationMs: j.lastDurationMs, nextExpectedAt: j.nextExpectedAt, failureStreak: j.failureStreak, lastHost: j.lastHost ?? null,
  }));
  return `${JSON.stringify({ lastSweepAt, jobs: lines }, null, 2)}\n`;
}

/** How many runs a strip shows: as many as the width allows, within these bounds; 20 when the width is unknown (a pipe). */
const STRIP = { min: 8, max: 40, unbounded: 20 };
const GAP = 2;

/**
 * How the table fits a width: the richest form whose strips get at least STRIP.min cells. Narrower
 * terminals first lose the year and seconds of the times, then the schedule, then the start time; job
 * names are cut last.
 */
export interface StatusLayout {
  cells: number;
  compactTimes: boolean;
  schedule: boolean;
  started: boolean;
  /** The widest a job name may be shown (longer ones end in …); null: whole. */
  jobWidth: number | null;
}

/** The layout for a terminal `width` columns wide (null: no terminal, no limit). */
export function statusLayout(jobs: readonly StatusLine[], width: number | null): StatusLayout {
  const forms: Array<Omit<StatusLayout, 'cells' | 'jobWidth'>> = [
    { compactTimes: false, schedule: true, started: true },
    { compactTimes: true, schedule: true, started: true },
    { compactTimes: true, schedule: false, started: true },
    { compactTimes: true, schedule: false, started: false },
  ];
  const first = forms[0] as (typeof forms)[0];
  if (width === null) return { ...first, cells: STRIP.unbounded, jobWidth: null };
  // A form is dropped for a leaner one while that buys a strip of twice the minimum.
  for (const least of [2 * STRIP.min, STRIP.min]) {
    for (const form of forms) {
      const rest = width - tableWidth(jobs, { ...form, cells: 0, jobWidth: null }) - 2 * GAP;
      const cells = Math.min(STRIP.max, Math.floor(rest / 2));
      if (cells >= least) return { ...form, cells, jobWidth: null };
    }
  }
  // Still too narrow: the strips shrink (to 5 runs), then names are cut (to no fewer than 8 characters).
  const last = forms[forms.length - 1] as (typeof forms)[0];
  const others = tableWidth(jobs, { ...last, cells: 0, jobWidth: 1 }) - 'JOB'.length;
  const longest = Math.max(3, ...jobs.map((j) => characters(neutraliseLine(j.job))));
  const fewest = 'TREND'.length; // no narrower than the headers
  const jobWidth = Math.min(longest, Math.max(8, width - others - 2 * GAP - 2 * fewest));
  const cells = Math.max(fewest, Math.floor((width - others - jobWidth - 2 * GAP) / 2));
  return { ...last, cells, jobWidth: jobWidth < longest ? jobWidth : null };
}

/** Width of the table without its two strip columns and their gaps. */
function tableWidth(jobs: readonly StatusLine[], layout: StatusLayout): number {
  const { header, rows } = cellsOf(jobs, layout, null, null);
  let width = -GAP;
  for (let i = 0; i < header.length; i++) if (i !== 1 && i !== 2) width += widest(rows, i, (header[i] as string).length, characters) + GAP;
  return width;
}

/** Whether the jobs' latest runs name more than one host (a loop that stops at the second: a thousand jobs). */
function severalHosts(jobs: readonly StatusLine[]): boolean {
  let first: string | null = null;
  for (const job of jobs) {
    if (!job.lastHost) continue;
    if (first === null) first = job.lastHost;
    else if (job.lastHost !== first) return true;
  }
  return false;
}

/** A name cut to `width` characters, ending in … when it was longer. */
function cut(text: string, width: number | null): string {
  if (width === null || text.length <= width) return text; // no longer in characters than in UTF-16 units
  const chars = [...text];
  return chars.length <= width ? text : `${chars.slice(0, Math.max(1, width - 1)).join('')}…`;
}

/** The header and the rows of the table, every stored field neutralised; strips only when dots are given. */
function cellsOf(jobs: readonly StatusLine[], layout: StatusLayout, dots: Map<string, RunStrip> | null, style: ChalkInstance | null) {
  // Compact: no year, no seconds ("11-30 03:15"); a zone name after the time stays.
  const time = (text: string) => (layout.compactTimes ? text.replace(/^\d{4}-/, '').replace(/^(\S+ \d\d:\d\d):\d\d/, '$1') : text);
  // HOST only when the jobs ran on more than one host (a shared PostgreSQL database).
  const withHost = severalHosts(jobs);
  const header = ['JOB', 'RUNS', 'TREND', ...(layout.schedule ? ['SCHEDULE'] : []), ...(withHost ? ['HOST'] : []), 'LAST', ...(layout.started ? ['STARTED'] : []), 'DURATION', 'NEXT', 'FAILING'];
  // Jobs on one schedule share their next start: each (start, zone) is formatted once.
  const nextTexts = new Map<string, string>();
  const nextOf = (at: string, tz: string | null) => {
    const key = tz === null ? at : `${at}\0${tz}`; // most jobs have no zone: no key text made for them
    let text = nextTexts.get(key);
    if (text === undefined) nextTexts.set(key, (text = neutraliseLine(time(nextText(at, tz)))));
    return text;
  };
  const scheduleCell = remembered(neutraliseLine);
  const statusCell = remembered((text) => (style ? styleStatus(style, neutraliseLine(text)) : neutraliseLine(text)));
  const none: RunStrip = { letters: '', durations: [] };
  // A row comes from two small functions, not one twice their size: V8 sends a function to its optimising
  // compiler once it has run enough of its own bytecode, and a process exits only once every compile in
  // flight is done. One row function for a thousand jobs was sent near the last row, and the exit waited
  // ~15 ms for a compile (of it and all it calls) that nothing used. Cells are pushed one by one:
  // spreading optional ones into each of a thousand rows cost more than the rest.
  const leading = (j: StatusLine): string[] => {
    const mine = dots?.get(j.job) ?? none;
    return [cut(neutraliseLine(j.job), layout.jobWidth), dots && style ? runStrip(mine, layout.cells, style) : '', dots ? sparkline(mine, layout.cells) : ''];
  };
  const withRest = (j: StatusLine, row: string[]): string[] => {
    if (layout.schedule) row.push(j.schedule === null ? '-' : scheduleCell(j.schedule));
    if (withHost) row.push(neutraliseLine(j.lastHost ?? '-'));
    row.push(j.lastStatus ? statusCell(j.lastStatus) : 'never run');
    if (layout.started) row.push(j.lastStartedAt ? time(localTime(j.lastStartedAt, true)) : '-');
    row.push(
      durationText(j.lastDurationMs),
      j.nextExpectedAt === null ? (j.schedule === '@reboot' ? 'at boot' : '-') : nextOf(j.nextExpectedAt, j.tz),
      j.failureStreak && style ? style.red(String(j.failureStreak)) : String(j.failureStreak),
    );
    return row;
  };
  const rows = jobs.map((j) => withRest(j, leading(j)));
  return { header, rows };
}

/**
 * The human table: each job's latest runs as a strip (newest right) and their durations as a sparkline,
 * then its schedule, last run, next expected start (in the job's own zone when it has one) and failure
 * streak; times in local time.
 */
export function statusText(
  lastSweepAt: string | null, jobs: readonly StatusLine[], now: number, style: ChalkInstance,
  layout: StatusLayout, dots: Map<string, RunStrip>,
): string {
  // No wider than the longest history: a new database should not show a wide empty column.
  let longest = 1;
  for (const strip of dots.values()) if (strip.letters.length > longest) longest = strip.letters.length;
  const cells = Math.min(layout.cells, longest);
  const { header, rows } = cellsOf(jobs, { ...layout, cells }, dots, style);
  const body = jobs.length ? table(header, rows, style) : 'no jobs recorded yet\n';
  const sweep = lastSweepAt === null
    // Two short lines rather than one long one: status fits an 80-column terminal.
    ? 'sweep has never run on this database; add it to your crontab by its full path\n'
      + '(cron\'s PATH is /usr/bin:/bin):  */30 * * * * /usr/local/bin/cronguard sweep'
    : `last sweep: ${localTime(lastSweepAt, true)} (${formatDuration(Math.max(0, now - (storedMs(lastSweepAt) ?? now)))} ago)`;
  return `${body}${sweep}\n`;
}

/** The next start in the job's own zone, named when its clock differs from this host's there; else local time. */
function nextText(nextExpectedAt: string, tz: string | null): string {
  const at = Date.parse(nextExpectedAt);
  if (tz === null || tz.includes(';') || offsetMs(tz, at) === -new Date(at).getTimezoneOffset() * 60_000) return localTime(nextExpectedAt, true);
  return `${wallText(tz, at)} ${tz}`;
}
