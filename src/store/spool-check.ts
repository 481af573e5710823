import { JOB_NAME } from '../shared/job-name.ts';
import { RUN_STATUSES } from '../shared/types.ts';

// A spooled record was written by whoever could write the spool, so it is checked before it is ingested
// (SPEC §9): each field's type, its length, and the statuses a run can have. A record that fails is set
// aside whole, never half-ingested.

type Fields = Record<string, unknown>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const SIGNAL = /^SIG[A-Z0-9+-]{1,16}$/;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f-\x9f]/;
const MAX_ATTEMPTS = 1000;
const MAX_TEXT = 64 * 1024;
const MAX_COMMAND = 1024 * 1024;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown, min = 0): boolean => Number.isSafeInteger(v) && (v as number) >= min;
const isTime = (v: unknown): boolean => typeof v === 'string' && ISO.test(v) && Number.isFinite(Date.parse(v));
const isText = (v: unknown, max = MAX_TEXT): boolean => typeof v === 'string' && v.length <= max;
const orNull = (check: (v: unknown) => boolean) => (v: unknown): boolean => v === null || check(v);
const isStatus = (v: unknown): boolean => (RUN_STATUSES as readonly unknown[]).includes(v);
const isSignal = (v: unknown): boolean => typeof v === 'string' && SIGNAL.test(v);
const isExitCode = (v: unknown): boolean => Number.isSafeInteger(v) && Math.abs(v as number) < 2 ** 31;

/** The first field of `fields` that fails its check, named; null when every one passes. */
function firstBad(where: string, object: Fields, checks: Record<string, (v: unknown) => boolean>): string | null {
  for (const [name, check] of Object.entries(checks)) {
    if (!check(object[name])) return `${where}${name} is not valid`;
  }
  return null;
}

/** Why one attempt of a spooled run is not valid, or null. */
function badAttempt(a: unknown, i: number): string | null {
  if (!isObject(a)) return `attempt ${i + 1} is not an object`;
  return firstBad(`attempt ${i + 1}: `, a, {
    n: (v) => isInt(v, 1), status: isStatus, exitCode: orNull(isExitCode), signal: orNull(isSignal), startedAt: isTime,
    endedAt: orNull(isTime), durationMs: orNull((v) => isInt(v)), outputBytes: (v) => isInt(v), reason: orNull((v) => isText(v)),
    output: orNull((v) => typeof v === 'string' && BASE64.test(v)),
  });
}

/**
 * Why a parsed spool line is not a record this cronguard wrote (`{v: 1, run, schedule}` with every field
 * of the run well-formed), or null when it is one.
 */
export function badSpoolRecord(data: unknown): string | null {
  if (!isObject(data) || data['v'] !== 1) return 'not a version 1 spool record';
  const run = data['run'];
  if (!isObject(run)) return 'run is not an object';
  const bad = firstBad('', run, {
    id: (v) => typeof v === 'string' && UUID.test(v),
    job: (v) => typeof v === 'string' && JOB_NAME.test(v),
    status: isStatus, exitCode: orNull(isExitCode), signal: orNull(isSignal),
    startedAt: isTime, heartbeatAt: isTime, endedAt: orNull(isTime), durationMs: orNull((v) => isInt(v)),
    host: (v) => isText(v, 255) && (v as string).length > 0 && !CONTROL.test(v as string),
    pid: (v) => isInt(v, 1), pidStart: orNull((v) => typeof v === 'string' && /^\d{1,20}$/.test(v)), pgid: orNull((v) => isInt(v, 1)),
    command: (v) => Array.isArray(v) && v.length > 0 && v.every((w) => typeof w === 'string')
      && v.reduce((sum: number, w: string) => sum + w.length, 0) <= MAX_COMMAND,
    timeoutMs: orNull((v) => isInt(v)), killAfterMs: (v) => isInt(v), heartbeatMs: (v) => isInt(v), reason: orNull((v) => isText(v)),
    attempts: (v) => Array.isArray(v) && v.length <= MAX_ATTEMPTS,
  });
  if (bad) return bad;
  for (const [i, attempt] of (run['attempts'] as unknown[]).entries()) {
    const why = badAttempt(attempt, i);
    if (why) return why;
  }
  const schedule = data['schedule'];
  if (schedule === null || schedule === undefined) return null;
  if (!isObject(schedule)) return 'schedule is not an object';
  return firstBad('schedule: ', schedule, {
    schedule: (v) => isText(v, 256) && !CONTROL.test(v as string), tz: orNull((v) => isText(v, 64) && !CONTROL.test(v as string)),
    graceMs: (v) => isInt(v),
  });
}
