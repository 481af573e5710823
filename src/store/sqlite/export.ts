import type { RunRecord } from '../../shared/types.ts';
import type { RunFilter } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { type AttemptRow, type RunRow, runFromRow } from './rows.ts';
import { exportedRuns, RUN } from './stream.ts';
import { WRITTEN_TIME } from '../../shared/stored.ts';

// `history --json` over a million runs: SQLite hands over three values a joined row (the run's id, a flag and
// the run's JSON text with its attempt's, each stored text quoted by json_quote) instead of 27, and one pattern
// checks the text. The text is used only where it is, byte for byte, what JSON.stringify(runJson(run)) makes
// of the record and the run needs no warning (stored.ts); any other run is read again and given as its record.

/** SQL: a text column as a JSON string, NULL as null (CAST: json_quote refuses a blob with an error, PLAIN refuses the run). */
const str = (c: string) => `json_quote(CAST(${c} AS TEXT))`;
/** SQL: a number column as JSON (NULL as null where the pattern allows it). */
const num = (c: string) => `ifnull(${c}, 'null')`;
const ATTEMPT_JSON = `iif(a.n IS NULL, '', concat('{"n":', a.n, ',"status":', ${str('a.status')}, ',"exitCode":', ${num('a.exit_code')},
  ',"signal":', ${str('a.signal')}, ',"startedAt":', ${str('a.started_at')}, ',"endedAt":', ${str('a.ended_at')},
  ',"durationMs":', ${num('a.duration_ms')}, ',"outputBytes":', a.output_bytes, '}'))`;
const ROW_JSON = `concat('{"id":', ${str('r.id')}, ',"job":', ${str('r.job')}, ',"status":', ${str('r.status')}, ',"exitCode":', ${num('r.exit_code')},
  ',"signal":', ${str('r.signal')}, ',"startedAt":', ${str('r.started_at')}, ',"heartbeatAt":', ${str('r.heartbeat_at')}, ',"endedAt":', ${str('r.ended_at')},
  ',"durationMs":', ${num('r.duration_ms')}, ',"host":', ${str('r.host')}, ',"pid":', r.pid, ',"command":', r.command, ',"attempts":[',
  ${ATTEMPT_JSON}, ']}')`;
const TEXTS = ['r.id', 'r.job', 'r.status', "ifnull(r.signal, '')", 'r.started_at', 'r.heartbeat_at', "ifnull(r.ended_at, '')", 'r.host', 'r.command',
  "iif(a.n IS NULL, '', a.status)", "ifnull(a.signal, '')", "iif(a.n IS NULL, '', a.started_at)", "ifnull(a.ended_at, '')"].join(', ');
const NUMBERS = ['r.exit_code', 'r.duration_ms', 'r.pid', 'a.n', 'a.exit_code', 'a.duration_ms', 'a.output_bytes'].map((c) => `ifnull(${c}, 0)`).join(', ');
/**
 * What the text cannot tell, by storage class (numbers < text < blob): every text column holds text (a NOT NULL
 * one no NULL, an attempt's when there is one), every number column a number, nothing a blob. A fraction, a
 * number too large for JavaScript, an escape JSON.stringify would not write and a time not in the written form PLAIN_ROW refuses.
 */
export const PLAIN = `min(${TEXTS}) >= '' AND max(${TEXTS}) < X'' AND max(${NUMBERS}) < ''`;

/**
 * A JSON string as JSON.stringify writes it, and as json_quote does: a quote, a backslash and a control character
 * escaped (\b \t \n \f \r, else \u00 and two lowercase hex digits), nothing else. Each character has one form
 * here, so a text that reads as the value is JSON.stringify's text of it; an escape of another form is refused.
 */
const STRING = String.raw`"[^"\\\x00-\x1f]*(?:\\(?:["\\bfnrt]|u00(?:0[0-7bef]|1[\da-f]))[^"\\\x00-\x1f]*)*"`;
/** A whole number of at most 15 digits: what JavaScript holds exactly (a REAL's text has a point or an exponent). */
export const WHOLE = String.raw`-?\d{1,15}`;
export const DURATION = String.raw`(?:null|\d{1,15})`;
/** A written time as a JSON string. */
const TIME = String.raw`"${WRITTEN_TIME}"`;
/** A stored command that JSON.stringify(commandOf(text)) writes again as it is: a list of strings, no space, each in STRING's form. */
const COMMAND = String.raw`\[(?:${STRING}(?:,${STRING})*)?\]`;
const ATTEMPT = String.raw`\{"n":${WHOLE},"status":${STRING},"exitCode":(?:null|${WHOLE}),"signal":(?:null|${STRING}),"startedAt":(?:${TIME}),`
  + String.raw`"endedAt":(?:null|${TIME}),"durationMs":${DURATION},"outputBytes":${WHOLE}\}`;
/** A row's text that is JSON.stringify(runJson(run)), of a run that needs no warning. */
const PLAIN_ROW = new RegExp(String.raw`^\{"id":${STRING},"job":${STRING},"status":${STRING},"exitCode":(?:null|${WHOLE}),"signal":(?:null|${STRING}),`
  + String.raw`"startedAt":(?:${TIME}),"heartbeatAt":(?:${TIME}),"endedAt":(?:null|${TIME}),"durationMs":${DURATION},"host":${STRING},"pid":${WHOLE},`
  + String.raw`"command":${COMMAND},"attempts":\[(?:${ATTEMPT})?\]\}$`);
/** Where a row's attempt begins, after the last (the only) `"attempts":[`: a quote inside a STRING is escaped, so no value holds it. */
const ATTEMPTS_KEY = '"attempts":[';

/**
 * Every run a filter matches, newest first (as streamRuns): the JSON text of SPEC §6 of each run that can be
 * written from its rows, the record of any other (a malformed time, a REAL duration, a stored command that is
 * not a plain list, an escape in another form than JSON.stringify's, a blob...).
 */
export function* exportRunsJson(db: SqliteDatabase, filter: RunFilter): Generator<string | RunRecord> {
  const { runs, params } = exportedRuns(db, filter, RUN);
  const rows = db.prepare(`SELECT r.id, ${PLAIN}, ${ROW_JSON} FROM ${runs} r LEFT JOIN attempts a ON a.run_id = r.id
    ORDER BY r.started_at DESC, r.id DESC, a.n`).raw().iterate(params) as IterableIterator<[unknown, number | null, string]>;
  const again = recordReader(db);
  let id: unknown = null;
  let json: string | null = null;
  for (const [rowId, plain, text] of rows) {
    const ok = plain === 1 && PLAIN_ROW.test(text);
    if (id === null || rowId !== id) {
      if (id !== null) yield json ?? again(id);
      id = rowId;
      json = ok ? text : null;
    } else if (json !== null) {
      // Another attempt of the run: its JSON joins the first row's (a row without one is not a join's answer).
      json = ok && !json.endsWith('[]}') && !text.endsWith('[]}') ? `${json.slice(0, -2)},${text.slice(text.lastIndexOf(ATTEMPTS_KEY) + ATTEMPTS_KEY.length, -2)}]}` : null;
    }
  }
  if (id !== null) yield json ?? again(id);
}

/** Reads a run again by its id (in the export's snapshot: the same connection), as a record with its attempts. */
export function recordReader(db: SqliteDatabase): (id: unknown) => RunRecord {
  const run = db.prepare(`SELECT ${RUN} FROM runs WHERE id = ?`);
  const attempts = db.prepare('SELECT run_id, n, status, exit_code, signal, started_at, ended_at, duration_ms, output_bytes, reason FROM attempts WHERE run_id = ? ORDER BY n');
  return (id) => runFromRow(run.get(id) as RunRow, attempts.all(id) as AttemptRow[]);
}
