import { shortId } from '../shared/run-id.ts';
import type { ChalkInstance } from 'chalk';
import { formatDuration } from '../shared/duration.ts';
import { exitText } from '../shared/outcome.ts';
import type { RunRecord } from '../shared/types.ts';
import { csvRecord } from './csv.ts';
import { shellWords } from '../wire/failure-report.ts';
import { localTime } from '../shared/local-time.ts';
import { neutralise } from './neutralise.ts';
import { styleStatus, table } from './style.ts';


/**
 * The human history: one line per run, local times, coloured by status when `style` colours. On a
 * terminal, recorded text (a job or host name) is neutralised like captured output.
 */
export function historyTable(runs: readonly RunRecord[], style: ChalkInstance, terminal: boolean): string {
  const safe = terminal ? neutralise : (s: string) => s;
  const rows = runs.map((r) => [
    localTime(r.startedAt),
    safe(r.job),
    styleStatus(style, r.status),
    exitText(r),
    r.durationMs === null ? '-' : formatDuration(r.durationMs),
    String(r.attempts.length),
    style.dim(shortId(r.id)),
  ]);
  return table(['STARTED', 'JOB', 'STATUS', 'EXIT', 'DURATION', 'ATTEMPTS', 'RUN'], rows, style);
}

const CSV_HEADER = ['id', 'job', 'status', 'exit_code', 'signal', 'started_at', 'ended_at', 'duration_ms', 'host', 'pid',
  'attempts', 'output_bytes', 'command'];

/** History as CSV (RFC 4180): a header, then one record per run; times in UTC ISO-8601, the command as a shell would type it. */
export function historyCsv(runs: readonly RunRecord[]): string {
  return [csvRecord(CSV_HEADER), ...runs.map((r) => csvRecord([
    r.id, r.job, r.status, r.exitCode, r.signal, r.startedAt, r.endedAt, r.durationMs, r.host, r.pid,
    r.attempts.length, r.attempts.reduce((sum, a) => sum + a.outputBytes, 0), shellWords(r.command),
  ]))].join('');
}
