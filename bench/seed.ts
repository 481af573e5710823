import type { AttemptRecord, JobSchedule, RunRecord, RunStatus } from '../src/shared/types.ts';
import { bulkInsert, type BulkJob } from '../src/store/sqlite/bulk.ts';
import { prng } from './prng.ts';

/** What to seed; everything but the counts has a default. */
export interface SeedOptions {
  jobs: number;
  runs: number;
  /** The newest run starts just before this instant. */
  now?: Date;
  /** No job's runs reach further back than this many days (a job's interval is chosen to fit). */
  spanDays?: number;
  /** The pseudo-random seed: the same options give the same database. */
  seed?: number;
}

/** What a job looks like to the generator. */
interface JobPlan {
  name: string;
  intervalMin: number;
  schedule: string;
  runs: number;
  host: string;
  command: string[];
  baseMs: number;
  failRate: number;
  retries: number;
  timeoutMs: number | null;
  /** Whether its newest run is still `running`. */
  busy: boolean;
}

const INTERVALS_MIN = [1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 360, 720, 1440];
const HOSTS = ['web-1', 'web-2', 'db-1', 'build-1'];
const NAMES = ['backup', 'report', 'sync', 'cleanup', 'rotate-logs', 'fetch-feed', 'reindex', 'certbot', 'dump-db', 'mirror'];
const FAILURES: Array<[RunStatus, number]> = [['failed', 0.7], ['timeout', 0.12], ['killed', 0.05], ['error', 0.05], ['lost', 0.04], ['skipped', 0.04]];


const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** A random UUID v4 drawn from the PRNG (crypto's would make seeds irreproducible). */
function uuid(random: () => number): string {
  let text = '';
  for (let i = 0; i < 16; i++) {
    let byte = Math.floor(random() * 256);
    if (i === 6) byte = 0x40 | (byte & 0x0f);
    if (i === 8) byte = 0x80 | (byte & 0x3f);
    text += HEX[byte] as string;
    if (i === 3 || i === 5 || i === 7 || i === 9) text += '-';
  }
  return text;
}

let isoDay = Number.NaN;
let isoDayText = '';
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
/** Two digits, zero-padded, from the table. */
const pad2 = (n: number) => (PAD3[n] as string).slice(1);

/** ISO-8601 UTC with milliseconds, as Date#toISOString, without building a Date per call (a million runs call it often). */
function isoOf(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  if (day !== isoDay) {
    isoDay = day;
    isoDayText = new Date(day * 86_400_000).toISOString().slice(0, 11);
  }
  let rest = ms - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  rest -= h * 3_600_000;
  const m = Math.floor(rest / 60_000);
  rest -= m * 60_000;
  return `${isoDayText}${pad2(h)}:${pad2(m)}:${pad2(Math.floor(rest / 1000))}.${PAD3[rest % 1000] as string}Z`;
}

/** The cron expression that fires every `min` minutes (min divides an hour or a day). */
function cronEvery(min: number, random: () => number): string {
  if (min < 60) return min === 1 ? '* * * * *' : `*/${min} * * * *`;
  const minute = Math.floor(random() * 60);
  if (min < 1440) return `${minute} */${min / 60} * * *`;
  return `${minute} ${Math.floor(random() * 24)} * * *`;
}

/** Plans `count` jobs sharing `runs` runs, each on a schedule that fits its runs into `spanDays`. */
function planJobs(count: number, runs: number, spanDays: number, random: () => number): JobPlan[] {
  return Array.from({ length: count }, (_, i) => {
    const mine = Math.floor(runs / count) + (i < runs % count ? 1 : 0);
    const fitting = INTERVALS_MIN.filter((m) => m * mine <= spanDays * 1440);
    const intervalMin = fitting.length ? (fitting[Math.floor(random() * fitting.length)] as number) : 1;
    const name = `${NAMES[i % NAMES.length]}-${String(i).padStart(4, '0')}`;
    const health = random();
    const baseMs = Math.round(50 * Math.exp(random() * Math.log(12_000)));
    return {
      name, intervalMin, schedule: cronEvery(intervalMin, random), runs: mine,
      host: HOSTS[i % HOSTS.length] as string,
      command: random() < 0.5 ? [`/usr/local/bin/${name}.sh`] : ['/usr/bin/env', 'sh', '-c', `${name} --quiet | gzip > /srv/${name}.gz`],
      baseMs, failRate: health < 0.8 ? 0.01 : health < 0.95 ? 0.1 : 0.5,
      retries: random() < 0.6 ? 0 : 1 + Math.floor(random() * 3),
      timeoutMs: random() < 0.5 ? Math.max(1000, Math.round(baseMs * 10 / 1000) * 1000) : null,
      busy: random() < 0.05,
    };
  });
}

/** A duration around the job's usual one (log-normal spread). */
function jitteredMs(baseMs: number, random: () => number): number {
  const normal = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Math.max(1, Math.round(baseMs * Math.exp(0.5 * normal)));
}

/** The status of one finished run of a job. */
function pickStatus(job: JobPlan, random: () => number): RunStatus {
  if (random() >= job.failRate) return 'success';
  let r = random();
  for (const [status, share] of FAILURES) {
    if ((r -= share) < 0) return status;
  }
  return 'failed';
}

/** One attempt, ending `ms` after `start`. */
function attempt(n: number, status: RunStatus, start: number, ms: number, random: () => number): AttemptRecord {
  const signal = status === 'timeout' || status === 'killed' ? 'SIGTERM' : null;
  const exitCode = status === 'success' ? 0 : status === 'failed' ? 1 + Math.floor(random() * 3) : status === 'error' ? 127 : null;
  return {
    n, status, exitCode, signal, startedAt: isoOf(start), endedAt: isoOf(start + ms),
    durationMs: ms, outputBytes: Math.floor(random() * (status === 'success' ? 2000 : 5000)),
    reason: status === 'timeout' ? 'timed out' : status === 'error' ? 'command not found' : signal ? `killed by ${signal}` : null,
  };
}

/** One run of a job starting at `start`, with realistic attempts; `running` when it is the job's busy newest one. */
function makeRun(job: JobPlan, start: number, running: boolean, random: () => number): RunRecord {
  const status: RunStatus = running ? 'running' : pickStatus(job, random);
  const attempts: AttemptRecord[] = [];
  let t = start;
  const tries = status === 'failed' || status === 'timeout' ? job.retries + 1
    : status === 'success' && job.retries > 0 && random() < job.failRate ? 2
    : status === 'running' || status === 'skipped' || status === 'lost' ? 0 : 1;
  for (let n = 1; n <= tries; n++) {
    const s: RunStatus = status === 'success' && n < tries ? 'failed' : status;
    const ms = s === 'timeout' && job.timeoutMs ? job.timeoutMs : s === 'error' ? 2 : jitteredMs(job.baseMs, random);
    attempts.push(attempt(n, s, t, ms, random));
    // Whole milliseconds: stored times carry exactly three decimals, and duration_ms is an INTEGER column.
    t += ms + (n < tries ? Math.round(5000 * 2 ** (n - 1) * (0.5 + random() / 2)) : 0);
  }
  if (status === 'lost') t = start + jitteredMs(job.baseMs, random);
  const last = attempts[attempts.length - 1];
  const pid = 1000 + Math.floor(random() * 4_000_000);
  return {
    id: uuid(random), job: job.name, status, exitCode: last?.exitCode ?? null, signal: last?.signal ?? null,
    startedAt: isoOf(start), heartbeatAt: isoOf(running ? start : t),
    endedAt: running ? null : isoOf(t), durationMs: running || status === 'lost' ? null : t - start,
    host: job.host, pid, pidStart: String(Math.floor(random() * 1e9)), pgid: pid + 1, command: job.command,
    timeoutMs: job.timeoutMs, killAfterMs: 10_000, heartbeatMs: 30_000,
    reason: status === 'lost' ? 'the wrapper vanished' : last?.reason ?? null, attempts,
  };
}

/** Every run of every job, oldest first across jobs (as a real database fills), merged lazily through a min-heap. */
function* runsInTimeOrder(jobs: JobPlan[], now: number, random: () => number): Generator<RunRecord> {
  type Cursor = { job: JobPlan; left: number; at: number };
  const heap: Cursor[] = jobs.filter((j) => j.runs > 0).map((j) => {
    const lastSlot = Math.floor(now / (j.intervalMin * 60_000)) * j.intervalMin * 60_000;
    return { job: j, left: j.runs, at: lastSlot - (j.runs - 1) * j.intervalMin * 60_000 };
  }).sort((a, b) => a.at - b.at);
  while (heap.length > 0) {
    const c = heap[0] as Cursor;
    yield makeRun(c.job, c.at + Math.floor(random() * 2000), c.left === 1 && c.job.busy, random);
    c.at += c.job.intervalMin * 60_000;
    if (--c.left === 0) heap[0] = heap[heap.length - 1] as Cursor, heap.pop();
    siftDown(heap, (x) => x.at);
  }
}

/** Restores the heap order after its top changed. */
function siftDown<T>(heap: T[], key: (x: T) => number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let m = i;
    if (l < heap.length && key(heap[l] as T) < key(heap[m] as T)) m = l;
    if (r < heap.length && key(heap[r] as T) < key(heap[m] as T)) m = r;
    if (m === i) return;
    [heap[i], heap[m]] = [heap[m] as T, heap[i] as T];
    i = m;
  }
}

/** The jobs and (lazily) the runs a seeding writes; the same options give the same data. */
export function seedData(options: SeedOptions): { jobs: BulkJob[]; runs: Iterable<RunRecord> } {
  const random = prng(options.seed ?? 42);
  const now = (options.now ?? new Date()).getTime();
  const plans = planJobs(options.jobs, options.runs, options.spanDays ?? 90, random);
  // Most jobs have no zone of their own (no --tz), as in most crontabs; every tenth says UTC.
  const jobs: BulkJob[] = plans.map((p, i) => ({
    name: p.name,
    schedule: { schedule: p.schedule, tz: i % 10 === 0 ? 'UTC' : null, graceMs: 300_000 } satisfies JobSchedule,
    firstSeenAt: new Date(now - p.runs * p.intervalMin * 60_000).toISOString(),
  }));
  return { jobs, runs: runsInTimeOrder(plans, now, random) };
}

/** Seeds `runs` runs over `jobs` jobs into the database at `path` (created when missing); no output is stored. */
export function seedRuns(path: string, options: SeedOptions): { runs: number; attempts: number; ms: number } {
  const started = Date.now();
  const data = seedData(options);
  const counts = bulkInsert(path, data.jobs, data.runs);
  return { ...counts, ms: Date.now() - started };
}
