import type { ChalkInstance } from 'chalk';
import { durationOptionText, formatDuration } from '../shared/duration.ts';
import type { AttemptRecord, RunRecord } from '../shared/types.ts';
import { outcomeText, reasonText } from '../shared/outcome.ts';
import { attemptHeader, shellWords } from '../wire/failure-report.ts';
import { durationText, localTime } from '../shared/local-time.ts';
import { neutralise } from '../shared/neutralise.ts';
import { styleStatus } from './style.ts';

/**
 * Everything recorded about one run, then each attempt with its kept output. On a terminal every
 * recorded text is neutralised (control sequences shown, not obeyed); elsewhere (a pipe, a file) the
 * output goes out as the bytes it was, like the failure report cron mails.
 */
export function showText(run: RunRecord, attempts: readonly AttemptRecord[], style: ChalkInstance, terminal: boolean): Buffer {
  const safe = terminal ? neutralise : (s: string) => s;
  const status = outcomeText(run).replace(run.status, styleStatus(style, run.status));
  const field = (name: string, value: string) => `${style.bold(name.padEnd(10))}${value}`;
  const lines = [
    field('run', run.id),
    field('job', safe(run.job)),
    // Every reason shows, a failed run's too: it may name processes the command left running.
    field('status', run.reason ? `${status}: ${safe(reasonText(run) ?? '')}` : status),
    field('command', safe(shellWords(run.command))),
    field('host', `${safe(run.host)}, pid ${run.pid}${run.pgid === null ? '' : `, process group ${run.pgid}`}`),
    field('started', localTime(run.startedAt)),
    field('ended', run.endedAt === null ? `- (last heartbeat ${localTime(run.heartbeatAt)})` : localTime(run.endedAt)),
    field('duration', durationText(run.durationMs)),
    field('timeout', run.timeoutMs === null ? 'none' : `${durationOptionText(run.timeoutMs)}, then SIGKILL after ${durationOptionText(run.killAfterMs)}`),
    field('attempts', String(run.attempts.length)),
  ];
  const parts: Buffer[] = [Buffer.from(`${lines.join('\n')}\n`)];
  for (const a of attempts) {
    parts.push(Buffer.from(`\n${style.dim(attemptHeader(a))}\n`));
    const output = a.output ?? Buffer.alloc(0);
    if (output.length === 0) continue;
    const body = terminal ? Buffer.from(neutralise(output)) : output;
    parts.push(body, ...(body[body.length - 1] === 0x0a ? [] : [Buffer.from('\n')]));
  }
  return Buffer.concat(parts);
}

/** The kept output of the attempts, exactly as recorded, one after the other (show --raw). */
export function rawOutput(attempts: readonly AttemptRecord[]): Buffer {
  return Buffer.concat(attempts.map((a) => a.output ?? Buffer.alloc(0)));
}
