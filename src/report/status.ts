import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../shared/duration.ts';
import { offsetMs, wallText } from '../schedule/zone.ts';
import { storedMs } from '../shared/stored.ts';
import { durationText, localTime } from '../shared/local-time.ts';
import { styleStatus, table } from './style.ts';

/** One job's line of `cronguard status`, in the JSON shape of SPEC §6. */
export interface StatusLine {
  job: string;
  schedule: string | null;
  tz: string | null;
  lastStatus: string | null;
  lastStartedAt: string | null;
  lastDurationMs: number | null;
  nextExpectedAt: string | null;
  failureStreak: number;
}

/** `status --json`: {"lastSweepAt", "jobs"} with each job's keys in SPEC order. */
export function statusJson(lastSweepAt: string | null, jobs: readonly StatusLine[]): string {
  const lines = jobs.map((j) => ({
    job: j.job, schedule: j.schedule, tz: j.tz, lastStatus: j.lastStatus, lastStartedAt: j.lastStartedAt,
    lastDurationMs: j.lastDurationMs, nextExpectedAt: j.nextExpectedAt, failureStreak: j.failureStreak,
  }));
  return `${JSON.stringify({ lastSweepAt, jobs: lines }, null, 2)}\n`;
}

/** The human table: times in local time, the next start in the job's own zone when it has one. */
export function statusText(lastSweepAt: string | null, jobs: readonly StatusLine[], now: number, style: ChalkInstance): string {
  const rows = jobs.map((j) => {
    const next = j.nextExpectedAt === null ? (j.schedule === '@reboot' ? 'at boot' : '-') : nextText(j.nextExpectedAt, j.tz);
    return [
      j.job, j.schedule ?? '-', j.lastStatus ? styleStatus(style, j.lastStatus) : 'never run',
      j.lastStartedAt ? localTime(j.lastStartedAt, true) : '-', durationText(j.lastDurationMs),
      next, j.failureStreak ? style.red(String(j.failureStreak)) : '0',
    ];
  });
  const body = jobs.length ? table(['JOB', 'SCHEDULE', 'LAST', 'STARTED', 'DURATION', 'NEXT', 'FAILING'], rows, style) : 'no jobs recorded yet\n';
  const sweep = lastSweepAt === null
    ? 'sweep has never run on this database: add `*/30 * * * * /usr/local/bin/cronguard sweep` to your crontab (cronguard\'s full path: cron\'s PATH is /usr/bin:/bin)'
    : `last sweep: ${localTime(lastSweepAt, true)} (${formatDuration(Math.max(0, now - (storedMs(lastSweepAt) ?? now)))} ago)`;
  return `${body}${sweep}\n`;
}

/** The next start in the job's own zone, named when its clock differs from this host's there; else local time. */
function nextText(nextExpectedAt: string, tz: string | null): string {
  const at = Date.parse(nextExpectedAt);
  if (tz === null || tz.includes(';') || offsetMs(tz, at) === -new Date(at).getTimezoneOffset() * 60_000) return localTime(nextExpectedAt, true);
  return `${wallText(tz, at)} ${tz}`;
}
