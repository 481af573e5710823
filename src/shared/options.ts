/**
 * The option table: one entry per command and option. It drives the argv parser, --help, the shell
 * completion and the man-page check in the tests, so an option exists once.
 */
export type OptionKind = 'string' | 'boolean' | 'list';

export interface OptionSpec {
  name: string;
  kind: OptionKind;
  /** The placeholder shown in help, e.g. DUR. */
  value?: string;
  describe: string;
  /** The default as the user reads it (documentation only: commands apply defaults). */
  defaultText?: string;
}

export interface CommandSpec {
  name: CommandName;
  usage: string;
  summary: string;
  options: OptionSpec[];
  /** How many positional arguments the command takes at most (run takes the command after --). */
  maxPositionals: number;
}

export type CommandName = 'run' | 'sweep' | 'history' | 'show' | 'status' | 'stats' | 'prune' | 'metrics' | 'completion';

const db: OptionSpec = { name: 'db', kind: 'string', value: 'PATH', describe: 'the database file (also CRONGUARD_DB)' };
const json: OptionSpec = { name: 'json', kind: 'boolean', describe: 'print JSON for machines' };
const help: OptionSpec = { name: 'help', kind: 'boolean', describe: 'show this help' };
const notifyCommand: OptionSpec = { name: 'notify-command', kind: 'list', value: 'CMD', describe: 'run CMD with /bin/sh -c on an alert: event JSON on stdin, CRONGUARD_* variables (repeatable; also CRONGUARD_NOTIFY_COMMAND)' };
const notifyUrl: OptionSpec = { name: 'notify-url', kind: 'list', value: 'URL', describe: 'POST the event JSON to URL on an alert, queued and retried until delivered (repeatable; also CRONGUARD_NOTIFY_URL)' };
const notifyFormat: OptionSpec = { name: 'notify-format', kind: 'string', value: 'FORMAT', describe: 'body of --notify-url: json, or slack for Slack-compatible webhooks (also CRONGUARD_NOTIFY_FORMAT)', defaultText: 'json' };

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'run',
    usage: 'cronguard [run] [options] -- COMMAND [ARGS...]',
    summary: 'run COMMAND with a timeout, retries and a record of every attempt',
    maxPositionals: Infinity,
    options: [
      { name: 'name', kind: 'string', value: 'NAME', describe: "the job's identity ([A-Za-z0-9._-], 1-128 chars)", defaultText: 'derived from the command' },
      { name: 'timeout', kind: 'string', value: 'DUR', describe: 'limit for one attempt; the whole process group is killed', defaultText: 'none' },
      { name: 'kill-after', kind: 'string', value: 'DUR', describe: 'grace between SIGTERM and SIGKILL', defaultText: '10s' },
      { name: 'retries', kind: 'string', value: 'N', describe: 'further attempts after a failed one', defaultText: '0' },
      { name: 'retry-delay', kind: 'string', value: 'DUR', describe: 'first backoff delay, doubled each retry, with jitter', defaultText: '5s' },
      { name: 'retry-max-delay', kind: 'string', value: 'DUR', describe: 'cap on one backoff delay', defaultText: '5m' },
      { name: 'retry-on', kind: 'string', value: 'LIST', describe: 'failures to retry: exit codes and/or "timeout", comma-separated', defaultText: 'every failure' },
      { name: 'overlap', kind: 'string', value: 'MODE', describe: 'while an earlier run is alive: allow, skip or wait', defaultText: 'allow' },
      { name: 'schedule', kind: 'string', value: 'CRON', describe: "the job's schedule, for overdue detection by sweep", defaultText: 'from the crontab' },
      { name: 'grace', kind: 'string', value: 'DUR', describe: 'how late a run may start before the job is overdue', defaultText: '5m' },
      { name: 'tz', kind: 'string', value: 'ZONE', describe: 'IANA time zone of the schedule', defaultText: 'CRON_TZ, TZ, system' },
      { name: 'heartbeat', kind: 'string', value: 'DUR', describe: "how often a running job's heartbeat is written", defaultText: '30s' },
      { name: 'tee', kind: 'boolean', describe: "also stream the command's output live" },
      { name: 'output-limit', kind: 'string', value: 'SIZE', describe: 'output kept per attempt (half head, half tail)', defaultText: '1MiB' },
      { name: 'min-duration', kind: 'string', value: 'DUR', describe: 'an attempt finishing faster than this failed', defaultText: 'none' },
      { name: 'fail-on-output', kind: 'string', value: 'REGEX', describe: 'an attempt with an output line matching REGEX failed', defaultText: 'none' },
      notifyCommand, notifyUrl, notifyFormat,
      { name: 'alert-after', kind: 'string', value: 'N', describe: 'notify from the Nth consecutive failure on; recovery only after such a streak', defaultText: '1' },
      { name: 'ping', kind: 'string', value: 'URL', describe: 'healthchecks.io-style pings: URL/start, then URL or URL/EXITCODE with the output tail' },
      db, help,
    ],
  },
  {
    name: 'sweep',
    usage: 'cronguard sweep [options]',
    summary: 'find stuck, overrunning, overdue and failing jobs',
    maxPositionals: 0,
    options: [
      { name: 'stale', kind: 'string', value: 'DUR', describe: 'heartbeat age that makes a running run stuck', defaultText: '3 heartbeats, at least 5m' },
      { name: 'max-runtime', kind: 'string', value: 'DUR', describe: 'a run alive longer than this is overrunning', defaultText: 'none' },
      { name: 'crontab', kind: 'list', value: 'FILE', describe: 'read this crontab file instead of `crontab -l` (and, for root, /etc/crontab and /etc/cron.d); repeatable' },
      { name: 'all', kind: 'boolean', describe: 'list every current problem, not only new and resolved ones' },
      { name: 'at', kind: 'string', value: 'TIME', describe: 'sweep (and record the sweep) as if the clock read TIME (ISO-8601, local time unless it has an offset)' },
      notifyCommand, notifyUrl, notifyFormat,
      { name: 'ping', kind: 'string', value: 'URL', describe: 'ping URL after every sweep (a dead-man switch for cron and the host)' },
      json, db, help,
    ],
  },
  {
    name: 'history',
    usage: 'cronguard history [JOB] [options]',
    summary: 'list runs, newest first',
    maxPositionals: 1,
    options: [
      { name: 'since', kind: 'string', value: 'DUR|DATE', describe: 'runs started at or after (7d ago, or a date)' },
      { name: 'until', kind: 'string', value: 'DUR|DATE', describe: 'runs started before' },
      { name: 'status', kind: 'string', value: 'LIST', describe: 'only these statuses, comma-separated (e.g. failed,timeout)' },
      { name: 'limit', kind: 'string', value: 'N', describe: 'at most N runs (0: all)', defaultText: '50' },
      { name: 'host', kind: 'string', value: 'HOST', describe: 'only runs on this host' },
      json,
      { name: 'csv', kind: 'boolean', describe: 'print CSV (RFC 4180)' },
      db, help,
    ],
  },
  {
    name: 'show',
    usage: 'cronguard show RUN_ID [options]',
    summary: 'everything recorded about one run (a unique id prefix is enough)',
    maxPositionals: 1,
    options: [
      json,
      { name: 'raw', kind: 'boolean', describe: 'write only the kept output, the exact bytes recorded' },
      { name: 'attempt', kind: 'string', value: 'N', describe: 'only attempt N', defaultText: 'every attempt' },
      db, help,
    ],
  },
  {
    name: 'status',
    usage: 'cronguard status [options]',
    summary: 'one line per job: its latest runs as a strip and a duration sparkline, last run, next expected start, failure streak; when sweep last ran',
    maxPositionals: 0,
    options: [json, db, help],
  },
  {
    name: 'stats',
    usage: 'cronguard stats [JOB] [options]',
    summary: 'runs, success rate and durations per job; with JOB, a histogram of its durations',
    maxPositionals: 1,
    options: [{ name: 'since', kind: 'string', value: 'DUR|DATE', describe: 'only runs started since (7d ago, or a date)', defaultText: 'all' }, json, db, help],
  },
  {
    name: 'prune',
    usage: 'cronguard prune --older-than DUR [options]',
    summary: 'delete finished runs older than DUR',
    maxPositionals: 0,
    options: [
      { name: 'older-than', kind: 'string', value: 'DUR', describe: 'delete runs that ended longer ago than this' },
      { name: 'vacuum', kind: 'boolean', describe: 'give the freed space back to the file system' },
      { name: 'dry-run', kind: 'boolean', describe: 'only say how many runs would go' },
      db, help,
    ],
  },
  {
    name: 'metrics',
    usage: 'cronguard metrics [options]',
    summary: 'print Prometheus metrics of every job (node_exporter textfile format)',
    maxPositionals: 0,
    options: [
      { name: 'textfile', kind: 'string', value: 'PATH', describe: 'write the metrics to PATH atomically instead of stdout' },
      db, help,
    ],
  },
  {
    name: 'completion',
    usage: 'cronguard completion [bash|zsh]',
    summary: 'print a shell completion script',
    maxPositionals: 1,
    options: [help],
  },
];

/** The spec of a command by name. */
export function commandSpec(name: CommandName): CommandSpec {
  const spec = COMMANDS.find((c) => c.name === name);
  if (!spec) throw new Error(`no command ${name}`);
  return spec;
}
