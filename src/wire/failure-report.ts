// A stable wire format: what cron mails when a run fails, and the body of a --ping's finish signal.
import { localTime } from '../shared/local-time.ts';
import { outcomeText, reasonText } from '../shared/outcome.ts';
import { formatDuration } from '../shared/duration.ts';
import type { AttemptRecord, RunRecord } from '../shared/types.ts';

/** The command line as a shell would need it typed: words with spaces or quotes are single-quoted. */
export function shellWords(argv: readonly string[]): string {
  return argv.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replaceAll("'", `'\\''`)}'`)).join(' ');
}

/** "--- attempt 2: failed (exit 1) after 4.2s, 812 bytes of output ---": what precedes an attempt's output. */
export function attemptHeader(a: AttemptRecord): string {
  const cut = a.output && a.outputBytes > a.output.length ? ', some cut' : '';
  return `--- attempt ${a.n}: ${outcomeText(a)} after ${formatDuration(a.durationMs ?? 0)}, ${a.outputBytes} bytes of output${cut} ---`;
}

/**
 * The report printed to stdout when a run did not succeed, so cron mails it: a short summary, then the
 * kept output of each attempt exactly as it came (bytes, not text). With --tee the output already went
 * out as it came, so the mail would carry it twice: `outputStreamed` leaves it out, keeping the headers.
 */
export function failureReport(run: RunRecord, exitCode: number, outputStreamed = false): Buffer {
  const lines = [
    `cronguard: job ${run.job} ${outcomeText(run)}${reasonText(run) ? `: ${reasonText(run)}` : ''}`,
    `  run       ${run.id}`,
    `  host      ${run.host}`,
    `  command   ${shellWords(run.command)}`,
    `  started   ${localTime(run.startedAt)}`,
    `  duration  ${formatDuration(run.durationMs ?? 0)}`,
    `  attempts  ${run.attempts.length}`,
    `  exit      ${exitCode}`,
    ...(outputStreamed ? ['  output    shown above as it came (--tee)'] : []),
  ];
  const parts: Buffer[] = [Buffer.from(`${lines.join('\n')}\n`)];
  for (const a of run.attempts) {
    parts.push(Buffer.from(`\n${attemptHeader(a)}\n`));
    if (!outputStreamed && a.output && a.output.length > 0) {
      parts.push(a.output);
      if (a.output[a.output.length - 1] !== 0x0a) parts.push(Buffer.from('\n'));
    }
  }
  return Buffer.concat(parts);
}
