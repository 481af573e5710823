/**
 * The option table: one entry per command and option, with its default, its allowed values and its
 * parser. It drives the argv parser, --help, the shell completion, did-you-mean hints, the checking of
 * values (shared/option-values.ts) and the man-page check in the tests, so an option exists once.
 */
import { MAX_TIMER_MS } from './duration.ts';
import {
  ago, count, duration, httpUrl, instant, jobName, nonBlank, oneOf, orSecretFile, regex, retryOn, size, statusList, when, type OptionParser,
} from './option-parse.ts';
import { CRON_FLAVOURS, NOTIFY_FORMATS, OVERLAP_MODES, RUN_STATUSES } from './types.ts';

export type OptionKind = 'string' | 'boolean' | 'list';

export interface OptionSpec<T = unknown> {
  name: string;
  /** string: one value; boolean: a flag; list: repeatable, every value kept. */
  kind: OptionKind;
  /** The placeholder shown in help, e.g. DUR. */
  value?: string;
  describe: string;
  /** The default, written as a user would give it: parsed like a given value, and shown by --help. */
  default?: string;
  /** The default in words, where it is not a value (help and completion only). */
  defaultText?: string;
  /** The words a value may be (with `commaList`: each item), for completion, hints and help. */
  choices?: readonly string[];
  /** The value is a comma-separated list: completion goes on after a comma. */
  commaList?: boolean;
  /** The environment variable that gives the value when the option does not. */
  env?: string;
  /** Checks and converts a value (see option-parse.ts); without one the text is taken as it is. */
  parse?: OptionParser<T>;
}

export interface CommandSpec {
  name: CommandName;
  usage: string;
  summary: string;
  options: OptionSpec[];
  /** How many positional arguments the command takes at most (run takes the command after --). */
  maxPositionals: number;
}

export type CommandName = 'run' | 'sweep' | 'history' | 'show' | 'status' | 'stats' | 'report' | 'prune' | 'forget' | 'metrics' | 'completion';

/** Every run-mode duration ends up in a timer (or a comparison with one): longer ones are refused. */
const timerDuration = (min = 0): OptionParser<number> => duration(min, MAX_TIMER_MS);

const db = { name: 'db', kind: 'string', value: 'PATH|URL', describe: 'the database file, or a postgres:// URL shared by many hosts', env: 'CRONGUARD_DB' } satisfies OptionSpec;
const host = { name: 'host', kind: 'string', value: 'NAME', describe: 'only runs of this host (its hostname, or CRONGUARD_HOST)' } satisfies OptionSpec;
const json = { name: 'json', kind: 'boolean', describe: 'print JSON for machines' } satisfies OptionSpec;
const help = { name: 'help', kind: 'boolean', describe: 'show this help' } satisfies OptionSpec;

/** A URL that may be a secret: given as is, or as @/path of a file only its owner can read. */
const secretUrl = orSecretFile(httpUrl, 'an absolute http:// or https:// URL');

/** The notification options, shared by run and sweep. */
export const NOTIFY = {
  command: { name: 'notify-command', kind: 'list', value: 'CMD', describe: 'run CMD with /bin/sh -c on an alert: event JSON on stdin, CRONGUARD_* variables; @FILE reads CMD from a file only you can read', env: 'CRONGUARD_NOTIFY_COMMAND', parse: orSecretFile(nonBlank('a shell command'), 'a shell command') },
  url: { name: 'notify-url', kind: 'list', value: 'URL', describe: 'POST the event JSON to URL on an alert, queued and retried until delivered; @FILE reads URL from a file only you can read', env: 'CRONGUARD_NOTIFY_URL', parse: secretUrl },
  format: { name: 'notify-format', kind: 'string', value: 'FORMAT', describe: 'body of --notify-url: json, or slack for Slack-compatible webhooks', env: 'CRONGUARD_NOTIFY_FORMAT', default: 'json', choices: NOTIFY_FORMATS, parse: oneOf(NOTIFY_FORMATS) },
} satisfies Record<string, OptionSpec>;

export const RUN = {
  name: { name: 'name', kind: 'string', value: 'NAME', describe: "the job's identity ([A-Za-z0-9._-], 1-128 chars)", defaultText: 'derived from the command', parse: jobName },
  timeout: { name: 'timeout', kind: 'string', value: 'DUR', describe: 'limit for one attempt; the whole process group is killed', defaultText: 'none', parse: timerDuration(1) },
  killAfter: { name: 'kill-after', kind: 'string', value: 'DUR', describe: 'grace between SIGTERM and SIGKILL', default: '10s', parse: timerDuration() },
  retries: { name: 'retries', kind: 'string', value: 'N', describe: 'further attempts after a failed one', default: '0', parse: count(0, 100) },
  retryDelay: { name: 'retry-delay', kind: 'string', value: 'DUR', describe: 'first backoff delay d, doubled each retry; the real wait is random between d/2 and d', default: '5s', parse: timerDuration() },
  retryMaxDelay: { name: 'retry-max-delay', kind: 'string', value: 'DUR', describe: 'cap on one backoff delay', default: '5m', parse: timerDuration() },
  retryOn: { name: 'retry-on', kind: 'string', value: 'LIST', describe: 'failures to retry: exit codes and/or "timeout", comma-separated', defaultText: 'every failure', choices: ['timeout'], commaList: true, parse: retryOn },
  overlap: { name: 'overlap', kind: 'string', value: 'MODE', describe: 'while an earlier run is alive: allow, skip or wait', default: 'allow', choices: OVERLAP_MODES, parse: oneOf(OVERLAP_MODES) },
  schedule: { name: 'schedule', kind: 'string', value: 'CRON', describe: "the job's schedule, for overdue detection by sweep", defaultText: 'from the crontab' },
  once: { name: 'once', kind: 'boolean', describe: 'run at most once per scheduled start across every host sharing the database (needs --schedule); exit 75 when the database cannot say' },
  grace: { name: 'grace', kind: 'string', value: 'DUR', describe: 'how late a run may start before the job is overdue', default: '5m', parse: timerDuration() },
  tz: { name: 'tz', kind: 'string', value: 'ZONE', describe: 'IANA time zone of the schedule', defaultText: 'CRON_TZ, TZ, system' },
  heartbeat: { name: 'heartbeat', kind: 'string', value: 'DUR', describe: "how often a running job's heartbeat is written (at least 1s)", default: '30s', parse: timerDuration(1000) },
  tee: { name: 'tee', kind: 'boolean', describe: "also stream the command's output live" },
  outputLimit: { name: 'output-limit', kind: 'string', value: 'SIZE', describe: 'output kept per attempt (half head, half tail)', default: '1MiB', parse: size(0, 1024 ** 3) },
  minDuration: { name: 'min-duration', kind: 'string', value: 'DUR', describe: 'an attempt finishing faster than this failed', defaultText: 'none', parse: timerDuration() },
  failOnOutput: { name: 'fail-on-output', kind: 'string', value: 'REGEX', describe: 'an attempt with an output line matching REGEX failed', defaultText: 'none', parse: regex },
  notifyCommand: NOTIFY.command, notifyUrl: NOTIFY.url, notifyFormat: NOTIFY.format,
  alertAfter: { name: 'alert-after', kind: 'string', value: 'N', describe: 'notify from the Nth consecutive failure on; recovery only after such a streak', default: '1', parse: count(1, 1_000_000) },
  ping: { name: 'ping', kind: 'string', value: 'URL', describe: 'healthchecks.io-style pings: URL/start, then URL or URL/EXITCODE with the output tail; @FILE reads URL from a file only you can read', env: 'CRONGUARD_PING_URL', parse: secretUrl },
  db, help,
} satisfies Record<string, OptionSpec>;

export const SWEEP = {
  stale: { name: 'stale', kind: 'string', value: 'DUR', describe: 'heartbeat age that makes a running run stuck', defaultText: '3 heartbeats, at least 5m', parse: duration(1000) },
  maxRuntime: { name: 'max-runtime', kind: 'string', value: 'DUR', describe: 'a run alive longer than this is overrunning', defaultText: 'none', parse: duration(1000) },
  crontab: { name: 'crontab', kind: 'list', value: 'FILE', describe: 'read this crontab file instead of `crontab -l` (and, for root, /etc/crontab and /etc/cron.d)' },
  cron: { name: 'cron', kind: 'string', value: 'NAME', describe: 'read crontabs by the rules of this cron: cronie or debian', defaultText: 'the installed one', choices: CRON_FLAVOURS, parse: oneOf(CRON_FLAVOURS) },
  all: { name: 'all', kind: 'boolean', describe: 'list every current problem, not only new and resolved ones; writes and sends nothing' },
  dryRun: { name: 'dry-run', kind: 'boolean', describe: 'say what a sweep would report now; writes and sends nothing' },
  at: { name: 'at', kind: 'string', value: 'TIME', describe: 'say what a sweep would report if the clock read TIME (ISO-8601, local time unless it has an offset); writes and sends nothing', parse: instant },
  notifyCommand: NOTIFY.command, notifyUrl: NOTIFY.url, notifyFormat: NOTIFY.format,
  ping: { name: 'ping', kind: 'string', value: 'URL', describe: 'ping URL after every sweep (a dead-man switch for cron and the host); @FILE reads URL from a file only you can read', env: 'CRONGUARD_PING_URL', parse: secretUrl },
  html: { name: 'html', kind: 'string', value: 'FILE', describe: 'after the sweep, write the HTML report of the last 30 days to FILE (as cronguard report --html)' },
  host: { name: 'host', kind: 'string', value: 'NAME', describe: "list every current problem of this host's runs and crontab jobs, as --all: writes and sends nothing" },
  json, db, help,
} satisfies Record<string, OptionSpec>;

export const HISTORY = {
  since: { name: 'since', kind: 'string', value: 'DUR|DATE', describe: 'runs started at or after (7d ago, or a date)', parse: when },
  until: { name: 'until', kind: 'string', value: 'DUR|DATE', describe: 'runs started before', parse: when },
  status: { name: 'status', kind: 'string', value: 'LIST', describe: 'only these statuses, comma-separated (e.g. failed,timeout)', choices: RUN_STATUSES, commaList: true, parse: statusList },
  limit: { name: 'limit', kind: 'string', value: 'N', describe: 'at most N runs (0: all)', default: '50', parse: count(0, 100_000_000) },
  host,
  json,
  csv: { name: 'csv', kind: 'boolean', describe: 'print CSV (RFC 4180)' },
  db, help,
} satisfies Record<string, OptionSpec>;

export const SHOW = {
  json,
  raw: { name: 'raw', kind: 'boolean', describe: 'write only the kept output, the exact bytes recorded' },
  attempt: { name: 'attempt', kind: 'string', value: 'N', describe: 'only attempt N', defaultText: 'every attempt' },
  db, help,
} satisfies Record<string, OptionSpec>;

export const STATS = {
  since: { name: 'since', kind: 'string', value: 'DUR|DATE', describe: 'only runs started since (7d ago, or a date)', defaultText: 'all', parse: when },
  host, json, db, help,
} satisfies Record<string, OptionSpec>;

export const REPORT = {
  html: { name: 'html', kind: 'string', value: 'FILE', describe: 'write the report to FILE, atomically, mode 0644 (- for stdout)' },
  since: { name: 'since', kind: 'string', value: 'DUR|DATE', describe: 'the first day shown (30d ago, or a date); at most 366 days', default: '30d', parse: when },
  db, help,
} satisfies Record<string, OptionSpec>;

export const PRUNE = {
  olderThan: { name: 'older-than', kind: 'string', value: 'DUR', describe: 'delete runs that ended longer ago than this', parse: ago },
  vacuum: { name: 'vacuum', kind: 'boolean', describe: 'give the freed space back to the file system' },
  dryRun: { name: 'dry-run', kind: 'boolean', describe: 'only say how many runs would go' },
  db, help,
} satisfies Record<string, OptionSpec>;

export const FORGET = {
  dryRun: { name: 'dry-run', kind: 'boolean', describe: 'only say what would go' },
  db, help,
} satisfies Record<string, OptionSpec>;

export const METRICS = {
  textfile: { name: 'textfile', kind: 'string', value: 'PATH', describe: 'write the metrics to PATH atomically instead of stdout' },
  host, db, help,
} satisfies Record<string, OptionSpec>;

export const COMMANDS: readonly CommandSpec[] = [
  { name: 'run', usage: 'cronguard [run] [options] -- COMMAND [ARGS...]', summary: 'run COMMAND with a timeout, retries and a record of every attempt', maxPositionals: Infinity, options: Object.values(RUN) },
  { name: 'sweep', usage: 'cronguard sweep [options]', summary: 'find stuck, overrunning, overdue and failing jobs', maxPositionals: 0, options: Object.values(SWEEP) },
  { name: 'history', usage: 'cronguard history [JOB] [options]', summary: 'list runs, newest first', maxPositionals: 1, options: Object.values(HISTORY) },
  { name: 'show', usage: 'cronguard show RUN_ID [options]', summary: 'everything recorded about one run (a unique id prefix is enough)', maxPositionals: 1, options: Object.values(SHOW) },
  { name: 'status', usage: 'cronguard status [options]', summary: 'one line per job: its latest runs as a strip and a duration sparkline, last run, next expected start, failure streak; when sweep last ran', maxPositionals: 0, options: [host, json, db, help] },
  { name: 'stats', usage: 'cronguard stats [JOB] [options]', summary: 'runs, success rate and durations per job; with JOB, a histogram of its durations', maxPositionals: 1, options: Object.values(STATS) },
  { name: 'report', usage: 'cronguard report --html FILE [options]', summary: 'a self-contained HTML report: jobs by day, duration charts, latest failures', maxPositionals: 0, options: Object.values(REPORT) },
  { name: 'prune', usage: 'cronguard prune --older-than DUR [options]', summary: 'delete finished runs older than DUR', maxPositionals: 0, options: Object.values(PRUNE) },
  { name: 'forget', usage: 'cronguard forget JOB [options]', summary: 'remove a job that no longer exists: its runs, its problems and what sweep learned of it', maxPositionals: 1, options: Object.values(FORGET) },
  { name: 'metrics', usage: 'cronguard metrics [options]', summary: 'print Prometheus metrics of every job (node_exporter textfile format)', maxPositionals: 0, options: Object.values(METRICS) },
  { name: 'completion', usage: 'cronguard completion [bash|zsh]', summary: 'print a shell completion script', maxPositionals: 1, options: [help] },
];

/** The spec of a command by name. */
export function commandSpec(name: CommandName): CommandSpec {
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) throw new Error(`no command ${name}`);
  return spec;
}
