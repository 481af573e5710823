import { resolve } from 'node:path';
import type { CommandMain } from './context.ts';
import { exposition, type Metric } from '../report/prometheus.ts';
import { CronguardError, describeError, EXIT } from '../shared/errors.ts';
import { RUN_STATUSES } from '../shared/types.ts';
import type { Store } from '../store/store.ts';
import { withStore } from './forensics.ts';
import { openStore } from '../store/open.ts';
import { replacePrivately } from '../store/private-files.ts';
import { storeTargetOf } from './store-target.ts';

/** Sweep's problem kinds (SPEC §4): each job gets a 0/1 flag for every kind. */
const PROBLEM_KINDS = ['stuck', 'overrun', 'overdue', 'failing'];

/** `cronguard metrics [--textfile PATH]`: Prometheus text for node_exporter's textfile collector. */
export const metricsMain: CommandMain = async (args, ctx) => {
  const store = await openStore(storeTargetOf(args, ctx), 'read');
  const text = exposition(store ? await withStore(store, 'read', collect) : emptyMetrics());
  const textfile = args.options['textfile'];
  if (typeof textfile !== 'string') {
    ctx.stdout(text);
    return EXIT.ok;
  }
  if (textfile === '') throw new CronguardError('--textfile "": expected a file path');
  writeAtomically(resolve(textfile), text);
  return EXIT.ok;
};

/**
 * Writes through a temporary file in the same directory and renames it over the target, so the
 * collector never reads half a file; only into a directory no other user can write, never through a
 * link (SPEC §9). Mode 0644: node_exporter usually runs as another user.
 */
function writeAtomically(path: string, text: string): void {
  try {
    replacePrivately(path, text, 0o644);
  } catch (error) {
    throw new CronguardError(`cannot write --textfile ${path}: ${describeError(error)}`, EXIT.failure);
  }
}

/** Seconds since the epoch of an ISO time. */
const seconds = (at: string): number => Date.parse(at) / 1000;

/** Every metric family, from the store. */
async function collect(store: Store): Promise<Metric[]> {
  const [jobs, problems, lastSweepAt, outbox] = await Promise.all([
    store.metrics.jobs(), store.metrics.problems(), store.sweep.lastSweepAt(), store.metrics.outbox(),
  ]);
  const m = emptyMetrics();
  const family = (name: string) => m.find((f) => f.name === `cronguard_${name}`)?.samples ?? [];
  for (const j of jobs) {
    const job = { job: j.job };
    if (j.lastStartedAt) family('job_last_start_timestamp_seconds').push({ labels: job, value: seconds(j.lastStartedAt) });
    if (j.lastSuccessAt) family('job_last_success_timestamp_seconds').push({ labels: job, value: seconds(j.lastSuccessAt) });
    if (j.lastDurationMs !== null) family('job_last_duration_seconds').push({ labels: job, value: j.lastDurationMs / 1000 });
    if (j.lastStatus) {
      for (const status of RUN_STATUSES) family('job_last_status').push({ labels: { ...job, status }, value: status === j.lastStatus ? 1 : 0 });
    }
    family('job_runs_total').push({ labels: job, value: j.runs });
    family('job_failures_total').push({ labels: job, value: j.failures });
    family('job_failure_streak').push({ labels: job, value: j.failureStreak });
    for (const kind of PROBLEM_KINDS) {
      family('job_problem').push({ labels: { ...job, kind }, value: problems.some((p) => p.job === j.job && p.kind === kind) ? 1 : 0 });
    }
  }
  if (lastSweepAt) family('sweep_last_run_timestamp_seconds').push({ labels: {}, value: seconds(lastSweepAt) });
  family('notifications_queued').push({ labels: {}, value: outbox.queued });
  family('notifications_dead').push({ labels: {}, value: outbox.dead });
  return m;
}

/** The metric families with no samples: what a host with no database yet exposes. */
function emptyMetrics(): Metric[] {
  const f = (name: string, type: Metric['type'], help: string): Metric => ({ name: `cronguard_${name}`, type, help, samples: [] });
  return [
    f('job_last_start_timestamp_seconds', 'gauge', 'When the latest run of the job started (Unix time).'),
    f('job_last_success_timestamp_seconds', 'gauge', 'When the latest successful run of the job ended (Unix time).'),
    f('job_last_duration_seconds', 'gauge', 'How long the latest finished run of the job took.'),
    f('job_last_status', 'gauge', 'Status of the latest run of the job: 1 for its status, 0 for the others.'),
    f('job_runs_total', 'counter', 'Runs of the job recorded.'),
    f('job_failures_total', 'counter', 'Runs of the job that failed, timed out, were killed, could not start or were lost.'),
    f('job_failure_streak', 'gauge', 'Consecutive failed runs of the job since its last success.'),
    f('job_problem', 'gauge', 'Whether sweep currently reports this problem kind for the job (1) or not (0).'),
    f('sweep_last_run_timestamp_seconds', 'gauge', 'When cronguard sweep last ran (Unix time).'),
    f('notifications_queued', 'gauge', 'Notifications waiting in the outbox for delivery.'),
    f('notifications_dead', 'gauge', 'Notifications given up (refused by the receiver, or undelivered for 7 days).'),
  ];
}
