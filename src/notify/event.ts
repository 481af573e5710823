import { randomUUID } from 'node:crypto';
import { runJson } from '../wire/run-json.ts';
import { outcomeText } from '../shared/outcome.ts';
import type { RunRecord } from '../shared/types.ts';
import { parseJsonSafely } from '../shared/json.ts';

/** What happened: a run failed, a job recovered, sweep found a problem or saw it resolved. */
export type EventType = 'failure' | 'recovery' | 'problem' | 'resolved';

/** A problem as sweep reports it (SPEC §4 P). */
export interface ProblemInfo {
  job: string;
  kind: string;
  since: string;
  runId: string | null;
  message: string;
}

/**
 * The one event JSON shape every channel gets (stable, version 1): the body of --notify-url, the stdin
 * of --notify-command. `id` is the same on every retry, so a receiver can drop a duplicate.
 */
export interface NotifyEvent {
  version: 1;
  id: string;
  type: EventType;
  at: string;
  job: string;
  host: string;
  message: string;
  reason: string | null;
  /** failure: consecutive failures including this one; recovery: the streak that ended; null unknown. */
  failureStreak: number | null;
  /** The run in the JSON shape of SPEC §6, or null for a sweep event without one. */
  run: Record<string, unknown> | null;
  /** The tail of the last attempt's kept output (at most 4 KiB, as UTF-8), or null. */
  output: string | null;
  problem: ProblemInfo | null;
}

const OUTPUT_TAIL = 4096;

/** The failure or recovery event of a finished run. */
export function runEvent(type: 'failure' | 'recovery', run: RunRecord, streak: number | null, at: string): NotifyEvent {
  const kept = run.attempts[run.attempts.length - 1]?.output;
  const times = streak === null ? '' : type === 'failure' ? `, ${streak} in a row` : ` after ${streak} failure${streak === 1 ? '' : 's'}`;
  const message = type === 'failure'
    ? `job ${run.job} ${outcomeText(run)} on ${run.host}${times}${run.reason ? `: ${run.reason}` : ''}`
    : `job ${run.job} recovered on ${run.host}${times}`;
  return {
    version: 1, id: randomUUID(), type, at, job: run.job, host: run.host, message,
    reason: type === 'failure' ? run.reason : null, failureStreak: streak, run: runJson(run),
    output: kept && kept.length > 0 ? kept.subarray(Math.max(0, kept.length - OUTPUT_TAIL)).toString('utf8') : null,
    problem: null,
  };
}

/** The event of a sweep problem that appeared (`problem`) or went away (`resolved`). */
export function sweepEvent(type: 'problem' | 'resolved', problem: ProblemInfo, host: string, at: string): NotifyEvent {
  const message = type === 'problem' ? `job ${problem.job} is ${problem.kind}: ${problem.message}` : `job ${problem.job} is no longer ${problem.kind}`;
  return {
    version: 1, id: randomUUID(), type, at, job: problem.job, host, message, reason: type === 'problem' ? problem.message : null,
    failureStreak: null, run: null, output: null, problem,
  };
}

/** The CRONGUARD_* variables a --notify-command sees (empty when not applicable). */
export function eventEnv(e: NotifyEvent): Record<string, string> {
  const run = e.run ?? {};
  const text = (v: unknown) => (v === null || v === undefined ? '' : String(v));
  return {
    CRONGUARD_EVENT: e.type, CRONGUARD_EVENT_ID: e.id, CRONGUARD_AT: e.at, CRONGUARD_JOB: e.job, CRONGUARD_HOST: e.host,
    CRONGUARD_MESSAGE: e.message, CRONGUARD_REASON: text(e.reason), CRONGUARD_FAILURE_STREAK: text(e.failureStreak),
    CRONGUARD_RUN_ID: text(run['id'] ?? e.problem?.runId), CRONGUARD_STATUS: text(run['status']),
    CRONGUARD_EXIT_CODE: text(run['exitCode']), CRONGUARD_SIGNAL: text(run['signal']),
    CRONGUARD_STARTED_AT: text(run['startedAt']), CRONGUARD_ENDED_AT: text(run['endedAt']),
    CRONGUARD_DURATION_MS: text(run['durationMs']),
    CRONGUARD_ATTEMPTS: Array.isArray(run['attempts']) ? String(run['attempts'].length) : '',
    CRONGUARD_PROBLEM: text(e.problem?.kind),
  };
}

/**
 * An event read back from the outbox, or null when the row does not hold one: it was written by another
 * process (or planted), so its shape is checked before a channel gets it.
 */
export function readEvent(payload: string): NotifyEvent | null {
  const value = parseJsonSafely(payload);
  const e = value as Record<string, unknown> | null;
  if (typeof e !== 'object' || e === null || e['version'] !== 1) return null;
  const texts = ['id', 'type', 'at', 'job', 'host', 'message'].every((k) => typeof e[k] === 'string');
  const objects = ['run', 'problem'].every((k) => e[k] === null || (typeof e[k] === 'object' && !Array.isArray(e[k])));
  const types: readonly unknown[] = ['failure', 'recovery', 'problem', 'resolved'];
  return texts && objects && types.includes(e['type']) ? (value as NotifyEvent) : null;
}
