import { shortId } from '../shared/run-id.ts';
import type { ChalkInstance } from 'chalk';
import { exitText } from '../shared/outcome.ts';
import type { RunRecord } from '../shared/types.ts';
import { csvField, csvRecord } from './csv.ts';
import type { CsvRun } from '../store/store.ts';
import { shellWords } from '../wire/failure-report.ts';
import { durationText, localTime } from '../shared/local-time.ts';
import { neutralise } from '../shared/neutralise.ts';
import { styleStatus, table } from './style.ts';


/**
 * The human history: one line per run, local times, coloured by status when `style` colours. On a
 * terminal, recorded text (a job or host name) is neutralised like captured output. The host column is
 * shown when the runs listed come from more than one host.
 */
export function historyTable(runs: readonly RunRecord[], style: ChalkInstance, terminal: boolean, withHost = false): string {
  const safe = terminal ? neutralise : (s: string) => s;
  const rows = runs.map((r) => [
    localTime(r.startedAt),
    safe(r.job),
    ...(withHost ? [safe(r.host)] : []),
    styleStatus(style, r.status),
    exitText(r),
    durationText(r.durationMs),
    String(r.attempts.length),
    style.dim(shortId(r.id)),
  ]);
  return table(['STARTED', 'JOB', ...(withHost ? ['HOST'] : []), 'STATUS', 'EXIT', 'DURATION', 'ATTEMPTS', 'RUN'], rows, style);
}

const CSV_HEADER = ['id', 'job', 'status', 'exit_code', 'signal', 'started_at', 'ended_at', 'duration_ms', 'host', 'pid',
  'attempts', 'output_bytes', 'command'];

/** The CSV header of history (RFC 4180): times in UTC ISO-8601, the command as a shell would type it. */
export function historyCsvHeader(): string {
  return csvRecord(CSV_HEADER);
}

/** One run as a CSV record of history. */
export function historyCsvRecord(r: RunRecord): string {
  return csvRecord([
    r.id, r.job, r.status, r.exitCode, r.signal, r.startedAt, r.endedAt, r.durationMs, r.host, r.pid,
    r.attempts.length, r.attempts.reduce((sum, a) => sum + a.outputBytes, 0), shellWords(r.command),
  ]);
}

/** The shell words of each command as a CSV field: a million runs of a thousand jobs share their commands' lists. */
const COMMAND_FIELDS = new WeakMap<readonly string[], string>();

/** A run the store wrote the first fields of as a CSV record of history: historyCsvRecord's text. */
export function historyCsvFields(r: CsvRun): string {
  let command = COMMAND_FIELDS.get(r.command);
  if (command === undefined) {
    command = csvField(shellWords(r.command));
    COMMAND_FIELDS.set(r.command, command);
  }
  return `${r.csvFields}${csvField(r.attempts)},${csvField(r.outputBytes)},${command}\r\n`;
}
