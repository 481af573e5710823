import type { RunRecord } from '../../shared/types.ts';
import { isWrittenTimeAt } from '../../shared/stored.ts';
import type { RunFilter } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { type AttemptRow, type RunRow, runFromRow } from './rows.ts';
import { exportedRuns, RUN } from './stream.ts';

// `history --json` over a million runs: SQLite hands over three values a joined row (the run's id, a flag and
// every other field in one text) instead of 27, and the JSON text of SPEC §6 is written here from those texts.
// It is used only where it is, byte for byte, what JSON.stringify(runJson(run)) makes of the record and the
// run needs no warning (stored.ts); any other run is read again and given as its record, for the caller.

/** Between the fields of a packed row; a field holding it leaves the row with too many fields: the run is read again. */
const SEP = '\x1f';
/** A run's fields after its id, then its attempt's (NULL as empty; see PLAIN). */
const RUN_FIELDS = ['r.job', 'r.status', 'r.exit_code', 'r.signal', 'r.started_at', 'r.heartbeat_at', 'r.ended_at', 'r.duration_ms', 'r.host', 'r.pid', 'r.command'];
const ATTEMPT_FIELDS = ['a.n', 'a.status', 'a.exit_code', 'a.signal', 'a.started_at', 'a.ended_at', 'a.duration_ms', 'a.output_bytes'];
const FIELDS = RUN_FIELDS.length + ATTEMPT_FIELDS.length;
/** Where a run's times are among its fields. */
const enum RunAt { StartedAt = 4, HeartbeatAt = 5, EndedAt = 6 }
const TEXTS = ['r.job', 'r.status', "ifnull(r.signal, 'x')", 'r.started_at', 'r.heartbeat_at', "ifnull(r.ended_at, 'x')", 'r.host', 'r.command',
  "ifnull(a.status, 'x')", "ifnull(a.signal, 'x')", "ifnull(a.started_at, 'x')", "ifnull(a.ended_at, 'x')"].join(', ');
const NUMBERS = ['r.exit_code', 'r.duration_ms', 'r.pid', 'a.n', 'a.exit_code', 'a.duration_ms', 'a.output_bytes'].map((c) => `ifnull(${c}, 0)`).join(', ');
/**
 * Whether a joined row's fields are plain, by storage class (numbers < text < blob): every text column holds
 * text that is not empty (so an empty field is a NULL one), every number column a number, nothing a blob.
 * What the packed text cannot tell (a fraction, a number too large for JavaScript, a time) is checked below.
 */
const PLAIN = `min(${TEXTS}) > '' AND max(${TEXTS}) < X'' AND max(${NUMBERS}) < ''`;
/** A whole number of at most 15 digits: what JavaScript holds exactly (a REAL's text has a point or an exponent). */
const WHOLE = /^-?\d{1,15}$/;
const NOT_NEGATIVE = /^\d{1,15}$/;
/** A stored command that JSON.stringify(commandOf(text)) writes again as it is: a list of strings with nothing to escape. */
const PLAIN_COMMAND = /^\[(?:"[^"\\\u0000-\u001f]*"(?:,"[^"\\\u0000-\u001f]*")*)?\]$/;

/**
 * Every run a filter matches, newest first (as streamRuns): the JSON text of SPEC §6 of each run that can be
 * written here, the record of any other (a malformed time, a REAL duration, a stored command that is not a
 * plain list, a blob...).
 */
export function* exportRunsJson(db: SqliteDatabase, filter: RunFilter): Generator<string | RunRecord> {
  const { runs, params } = exportedRuns(db, filter, RUN);
  const packed = [...RUN_FIELDS, ...ATTEMPT_FIELDS].join(`, '${SEP}', `);
  const rows = db.prepare(`SELECT r.id, ${PLAIN}, concat(${packed}) FROM ${runs} r LEFT JOIN attempts a ON a.run_id = r.id
    ORDER BY r.started_at DESC, r.id DESC, a.n`).raw().iterate(params) as IterableIterator<[unknown, number | null, string]>;
  const again = recordReader(db);
  let id: unknown = null;
  let json: string | null = null;
  let attempts = 0;
  let first: string[] = [];
  for (const [rowId, plain, text] of rows) {
    if (id === null || rowId !== id) {
      if (id !== null) yield json === null ? again(id) : `${json}]}`;
      id = rowId;
      attempts = 0;
      json = null;
      const f = plain === 1 && typeof rowId === 'string' ? text.split(SEP) : [];
      if (f.length === FIELDS) json = runHead(rowId as string, f);
      first = f;
      if (json === null || f[RUN_FIELDS.length] === '') continue;
      const attempt = attemptJson(f, f);
      json = attempt === null ? null : json + attempt;
      attempts++;
      continue;
    }
    if (json === null) continue;
    const f = plain === 1 ? text.split(SEP) : [];
    const attempt = f.length === FIELDS ? attemptJson(f, first) : null;
    // A row without an attempt after one with: not a join's answer; the record tells.
    json = attempt === null || attempts === 0 ? null : `${json},${attempt}`;
    attempts++;
  }
  if (id !== null) yield json === null ? again(id) : `${json}]}`;
}

/** The JSON of a run up to its first attempt ("...,"attempts":["), or null when a field is not plain. */
function runHead(id: string, f: string[]): string | null {
  const [job, status, exitCode, signal, startedAt, heartbeatAt, endedAt, durationMs, host, pid, command] = f as [string, string, string, string, string, string, string, string, string, string, string];
  if (!nullable(exitCode, WHOLE) || !writtenTime(startedAt) || !writtenTime(heartbeatAt) || !(endedAt === '' || endedAt === heartbeatAt || writtenTime(endedAt))
    || !nullable(durationMs, NOT_NEGATIVE) || !WHOLE.test(pid) || !PLAIN_COMMAND.test(command)) return null;
  return `{"id":${JSON.stringify(id)},"job":${JSON.stringify(job)},"status":${JSON.stringify(status)},"exitCode":${exitCode || 'null'},`
    + `"signal":${signal === '' ? 'null' : JSON.stringify(signal)},"startedAt":"${startedAt}","heartbeatAt":"${heartbeatAt}",`
    + `"endedAt":${endedAt === '' ? 'null' : `"${endedAt}"`},"durationMs":${durationMs || 'null'},"host":${JSON.stringify(host)},"pid":${pid},`
    + `"command":${command},"attempts":[`;
}

/**
 * The JSON of the attempt in a row's last fields, or null when one is not plain. An attempt's times are mostly
 * its run's (the first row's, whose times were checked): a comparison spares checking them again.
 */
function attemptJson(f: string[], run: string[]): string | null {
  const [n, status, exitCode, signal, startedAt, endedAt, durationMs, outputBytes] = f.slice(RUN_FIELDS.length) as [string, string, string, string, string, string, string, string];
  const runTime = (t: string) => t !== '' && (t === run[RunAt.StartedAt] || t === run[RunAt.EndedAt] || t === run[RunAt.HeartbeatAt]);
  if (!WHOLE.test(n) || status === '' || !nullable(exitCode, WHOLE) || !(runTime(startedAt) || writtenTime(startedAt))
    || !(endedAt === '' || runTime(endedAt) || writtenTime(endedAt))
    || !nullable(durationMs, NOT_NEGATIVE) || !WHOLE.test(outputBytes)) return null;
  return `{"n":${n},"status":${JSON.stringify(status)},"exitCode":${exitCode || 'null'},"signal":${signal === '' ? 'null' : JSON.stringify(signal)},`
    + `"startedAt":"${startedAt}","endedAt":${endedAt === '' ? 'null' : `"${endedAt}"`},"durationMs":${durationMs || 'null'},"outputBytes":${outputBytes}}`;
}

/** An empty field (NULL) or a whole number as the pattern asks. */
const nullable = (field: string, pattern: RegExp) => field === '' || pattern.test(field);
/** A time in the form cronguard writes: JSON.stringify would quote it as it is, and it needs no warning. */
const writtenTime = (field: string) => field.length === 24 && isWrittenTimeAt(field, 0);

/** Reads a run again by its id (in the export's snapshot: the same connection), as a record with its attempts. */
function recordReader(db: SqliteDatabase): (id: unknown) => RunRecord {
  const run = db.prepare(`SELECT ${RUN} FROM runs WHERE id = ?`);
  const attempts = db.prepare('SELECT run_id, n, status, exit_code, signal, started_at, ended_at, duration_ms, output_bytes, reason FROM attempts WHERE run_id = ? ORDER BY n');
  return (id) => runFromRow(run.get(id) as RunRow, attempts.all(id) as AttemptRow[]);
}
