import type { RunRecord } from '../../shared/types.ts';
import type { CsvRun, RunFilter } from '../store.ts';
import type { SqliteDatabase } from './database.ts';
import { DURATION, PLAIN, recordReader, WHOLE } from './export.ts';
import { WRITTEN_TIME } from '../../shared/stored.ts';
import { commandOf } from './rows.ts';
import { exportedRuns, RUN } from './stream.ts';

// `history --csv` over a million runs: SQLite writes the first ten fields of each run's record (quoted as
// csvField quotes) behind the values the warnings look at, and one anchored pattern checks those. A run's
// attempts are counted and their bytes added up here, its command parsed once for all the runs that share
// it; a run that fails the check is read again by id and given as its record (it may need a warning).

/** Between the values checked: no value the pattern lets through holds it. */
const SEP = '\x1f';
/** Between the values checked and the record's fields: no value the pattern lets through holds it. */
const END = '\x1e';
/**
 * SQL: a text column as a CSV field (csvField): quoted, quotes doubled, when it holds a quote, comma, CR or LF;
 * NULL as nothing. instr, not GLOB: GLOB stops at a NUL, and a stored text may hold one before the quote.
 */
const field = (c: string) => `iif(instr(${c}, '"') OR instr(${c}, ',') OR instr(${c}, char(13)) OR instr(${c}, char(10)), '"' || replace(${c}, '"', '""') || '"', ifnull(${c}, ''))`;
/** SQL: a nullable time for the check, 't' before a text so that no text reads as null. */
const maybe = (c: string) => `ifnull('t' || ${c}, 'null')`;
/** SQL: the values the check reads (the run's times, duration, exit code and pid, its attempt's times and duration), END, then the fields. */
const CHECKED_FIELDS = `concat(r.started_at, '${SEP}', r.heartbeat_at, '${SEP}', ${maybe('r.ended_at')}, '${SEP}', ifnull(r.duration_ms, 'null'),
  '${SEP}', ifnull(r.exit_code, 'null'), '${SEP}', r.pid, iif(a.n IS NULL, '', concat('${SEP}', a.started_at, '${SEP}', ${maybe('a.ended_at')},
  '${SEP}', ifnull(a.duration_ms, 'null'))), '${END}',
  ${field('r.id')}, ',', ${field('r.job')}, ',', ${field('r.status')}, ',', ifnull(r.exit_code, ''), ',', ${field('r.signal')}, ',', r.started_at, ',',
  ifnull(r.ended_at, ''), ',', ifnull(r.duration_ms, ''), ',', ${field('r.host')}, ',', r.pid, ',')`;
const TIME = `(?:${WRITTEN_TIME})`;
/**
 * Checked values that make a run's fields what csvRecord makes of its record, of a run that needs no warning:
 * written times, whole durations of at most 15 digits, an exit code and pid JavaScript writes the same way.
 */
const PLAIN_CHECK = new RegExp(String.raw`^${TIME}\x1f${TIME}\x1f(?:null|t${TIME})\x1f${DURATION}\x1f(?:null|${WHOLE})\x1f${WHOLE}`
  + String.raw`(?:\x1f${TIME}\x1f(?:null|t${TIME})\x1f${DURATION})?\x1e`);
/** How many parsed commands to keep: the commands of a thousand jobs, not a million runs'. */
const COMMANDS_KEPT = 4096;

/**
 * Every run a filter matches, newest first (as streamRuns): the first ten CSV fields, attempts, output bytes
 * and command of each run whose fields SQLite can write, the record of any other (a malformed time, a REAL
 * number, a number too large for JavaScript, a blob...).
 */
export function* exportRunsCsv(db: SqliteDatabase, filter: RunFilter): Generator<CsvRun | RunRecord> {
  const { runs, params } = exportedRuns(db, filter, RUN);
  const rows = db.prepare(`SELECT r.id, ${PLAIN}, ${CHECKED_FIELDS}, a.n, a.output_bytes, r.command FROM ${runs} r
    LEFT JOIN attempts a ON a.run_id = r.id ORDER BY r.started_at DESC, r.id DESC, a.n`).raw().iterate(params) as IterableIterator<[unknown, number | null, string, unknown, number, string]>;
  const again = recordReader(db);
  const commands = new Map<string, readonly string[]>();
  let id: unknown = null;
  let run: CsvRun | null = null;
  for (const [rowId, plain, text, n, bytes, command] of rows) {
    const ok = plain === 1 && PLAIN_CHECK.test(text);
    if (id === null || rowId !== id) {
      if (id !== null) yield run ?? again(id);
      id = rowId;
      run = ok ? { csvFields: text.slice(text.indexOf(END) + 1), attempts: 0, outputBytes: 0, command: parsed(commands, command) } : null;
    } else if (!ok) run = null;
    // As streamRuns: a joined row with an attempt adds one, and its bytes in the same order.
    if (run !== null && n !== null) {
      run.attempts++;
      run.outputBytes += bytes;
    }
  }
  if (id !== null) yield run ?? again(id);
}

/** A stored command as commandOf reads it, parsed once while it is among the commands kept. */
function parsed(commands: Map<string, readonly string[]>, text: string): readonly string[] {
  let words = commands.get(text);
  if (words === undefined) {
    if (commands.size >= COMMANDS_KEPT) commands.clear();
    words = commandOf(text);
    commands.set(text, words);
  }
  return words;
}
