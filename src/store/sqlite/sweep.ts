import type { SweepRepo } from '../store.ts';
import type { CrontabSeen, JobFacts, OpenProblem, ProblemKey, ProblemKind, RunGist, RunningRun, SweepSnapshot, SweepVerdict } from '../../shared/sweep-model.ts';
import { isFinished, type RunStatus } from '../../shared/types.ts';
import type { SqliteDatabase } from './database.ts';
import { streakReader, streaksOf } from './streak.ts';
import { FINISHED_SQL } from '../status-sql.ts';
import { assembleJobs, jobsInOrder, type CrontabJobRow, type RecordedJobRow } from '../job-facts.ts';
import { storedTextList } from '../../shared/stored.ts';

/** How many sweeps the log keeps: enough to know the usual interval, bounded for ever-running hosts. */
const SWEEP_LOG_KEPT = 1000;
/** A run's gist: columns the covering runs_by_job index holds (with the id, the table's key). */
const GIST = 'id, status, started_at, duration_ms';

interface GistRow { id: string; status: string; started_at: string; duration_ms: number | null }
/** A jobs-table row as the statement lists it. */
type JobRow = [name: string, schedule: string | null, tz: string | null, graceMs: number | null, firstSeenAt: string];
/** A job's latest run as the latest statement lists it. */
type LatestRow = [job: string, id: string, status: RunStatus, startedAt: string, durationMs: number | null, host: string];

/** A run's gist from its row. */
const gist = (row: GistRow | undefined): RunGist | null => row ? {
  id: row.id, status: row.status as RunStatus, startedAt: row.started_at, durationMs: row.duration_ms,
} : null;

/** Sweep's tables in SQLite. Statements are prepared per call: a read-only status prepares no writes. */
export function sqliteSweepRepo(db: SqliteDatabase): SweepRepo {
  /**
   * Every job from the jobs table and the crontab table, with its latest runs and failure streak. A sweep
   * passes the crontab jobs it read (`seen` at `at`): they replace the stored ones, first seen when first
   * stored or else now, exactly as noteCrontab will record them. With a host (status --host), only that
   * host's runs count.
   */
  const jobFacts = (seen?: CrontabSeen[], at?: string, host: string | null = null, orInCrontab = false, forSweep = true): JobFacts[] => {
    // Rows as arrays made objects here: better-sqlite3 builds an object a property at a time (a third slower for a thousand).
    const recorded = (db.prepare('SELECT name, schedule, tz, grace_ms, first_seen_at FROM jobs').raw().all() as JobRow[])
      .map((r): RecordedJobRow => ({ name: r[0], schedule: r[1], tz: r[2], grace_ms: r[3], first_seen_at: r[4] }));
    const stored = db.prepare('SELECT name, schedules, first_seen_at FROM crontab_jobs').all() as CrontabJobRow[];
    const firstSeen = new Map(stored.map((c) => [c.name, c.first_seen_at]));
    const crontab = seen === undefined || at === undefined ? stored : seen.map((c) => ({
      name: c.name, schedules: JSON.stringify(c.schedules), first_seen_at: [firstSeen.get(c.name) ?? at, at].sort()[0] as string,
    }));
    // Every job's latest run from run_latest (kept by triggers: sqlite/run-latest.ts), a few pages for a
    // thousand jobs. --host: per job, a seek into the covering index for that host's latest run and its
    // table row, all jobs in one statement (a statement per job cost more in calls than in reading). Then a
    // seek more for a job whose latest run has not finished, and for a failing one its streak.
    // The host is named only when asked for: it is not in the covering index, and naming it at all (even as
    // `@host IS NULL OR`) reads a table row per run looked at.
    const ofHost = host === null ? '' : ' AND host = @host';
    const latest = host === null
      ? db.prepare('SELECT job, id, status, started_at, duration_ms, host FROM run_latest')
      : db.prepare(`SELECT j.value AS job, r.id, r.status, r.started_at, r.duration_ms, r.host FROM json_each(@jobs) AS j
      JOIN runs AS r ON r.id = (SELECT id FROM runs WHERE job = j.value${ofHost} ORDER BY started_at DESC LIMIT 1)`);
    const lastFinished = db.prepare(`SELECT ${GIST} FROM runs WHERE job = @job${ofHost} AND ${FINISHED_SQL} ORDER BY started_at DESC LIMIT 1`);
    // How a failing job's run ended and when its streak began are sweep's (table rows the others need not read).
    const ending = forSweep ? db.prepare('SELECT ended_at, exit_code, signal FROM runs WHERE id = ?') : null;
    const facts = assembleJobs(recorded, crontab);
    // Rows as arrays, made gists at once (read by index: destructuring walks an iterator): a thousand rows
    // as objects cost more than the reading.
    const lastOf = new Map<string, RunGist>();
    for (const r of latest.raw().all(host === null ? {} : { jobs: JSON.stringify(facts.map((f) => f.job)), host }) as LatestRow[]) {
      lastOf.set(r[0], { id: r[1], status: r[2], startedAt: r[3], durationMs: r[4], host: r[5] });
    }
    const failing: JobFacts[] = [];
    for (const f of facts) {
      f.last = lastOf.get(f.job) ?? null;
      f.lastFinished = f.last && isFinished(f.last.status) ? f.last
        : gist(lastFinished.get(host === null ? { job: f.job } : { job: f.job, host }) as GistRow | undefined);
      if (f.lastFinished && f.lastFinished.status !== 'success') {
        if (ending !== null) {
          const end = ending.get(f.lastFinished.id) as { ended_at: string | null; exit_code: number | null; signal: string | null } | undefined;
          f.failed = { ...f.lastFinished, endedAt: end?.ended_at ?? null, exitCode: end?.exit_code ?? null, signal: end?.signal ?? null };
        }
        failing.push(f);
      }
    }
    // Names that are not text (the sqlite3 shell can store a blob) are asked one by one, as they are stored.
    const streaks = streaksOf(db, failing.flatMap((f) => (typeof f.job === 'string' ? [f.job] : [])), forSweep, host);
    const single = streakReader(db, forSweep);
    for (const f of failing) f.streak = (typeof f.job === 'string' ? streaks.get(f.job) : undefined) ?? single(f.job, null, host);
    return jobsInOrder(facts, host, orInCrontab);
  };

  /** Records the crontab jobs of this sweep; jobs no longer in any crontab read are forgotten. */
  const noteCrontab = (at: string, seen: CrontabSeen[]): void => {
    const upsert = db.prepare(`
      INSERT INTO crontab_jobs (name, schedules, first_seen_at, last_seen_at) VALUES (@name, @schedules, @at, @at)
      ON CONFLICT (name) DO UPDATE SET schedules = excluded.schedules, last_seen_at = excluded.last_seen_at,
        first_seen_at = min(first_seen_at, excluded.first_seen_at)`);
    for (const job of seen) upsert.run({ name: job.name, schedules: JSON.stringify(job.schedules), at });
    db.prepare('DELETE FROM crontab_jobs WHERE name NOT IN (SELECT value FROM json_each(?))').run(JSON.stringify(seen.map((j) => j.name)));
  };

  /** The runs still recorded `running`, with what sweep needs to judge them. */
  const runningRuns = (): RunningRun[] => (db.prepare(`
      SELECT id, job, started_at, heartbeat_at, host, pid, pid_start, pgid, timeout_ms, kill_after_ms, heartbeat_ms,
        (SELECT max(ended_at) FROM attempts WHERE run_id = runs.id) AS last_attempt_ended_at
      FROM runs WHERE status = 'running'`).all() as Array<Record<string, unknown>>).map((r): RunningRun => ({
      id: r['id'] as string, job: r['job'] as string, startedAt: r['started_at'] as string, heartbeatAt: r['heartbeat_at'] as string,
      host: r['host'] as string, pid: r['pid'] as number, pidStart: r['pid_start'] as string | null, pgid: r['pgid'] as number | null,
      timeoutMs: r['timeout_ms'] as number | null, killAfterMs: r['kill_after_ms'] as number, heartbeatMs: r['heartbeat_ms'] as number,
      lastAttemptEndedAt: r['last_attempt_ended_at'] as string | null,
    })).sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1)); // sorted here: an ORDER BY would make SQLite walk an index over all 1M runs

  /** What is read again inside the write transaction: still-running ids, the open problems, the sweep log. */
  const fresh = (running: RunningRun[]): Omit<SweepSnapshot, 'jobs'> => {
    const still = new Set(db.prepare(`SELECT id FROM runs WHERE status = 'running'`).pluck().all() as string[]);
    const open = (db.prepare('SELECT job, kind, since, run_id, message, reported_at, resolved_at FROM problems ORDER BY job, kind').all() as Array<Record<string, string | null>>)
      .map((p): OpenProblem => ({
        job: p['job'] as string, kind: p['kind'] as ProblemKind, since: p['since'] as string, runId: p['run_id'] ?? null,
        message: p['message'] as string, reported: p['reported_at'] !== null, resolvedAt: p['resolved_at'] ?? null,
      }));
    // The usual interval is learned from sweeps cron ran: a burst of sweeps by hand says nothing about cron.
    const sweeps = db.prepare('SELECT at FROM sweeps WHERE by_hand = 0 ORDER BY id DESC LIMIT 20').pluck().all() as string[];
    const warnings = db.prepare('SELECT warnings FROM sweeps ORDER BY id DESC LIMIT 1').pluck().get() as string | undefined;
    return {
      running: running.filter((r) => still.has(r.id)), open, sweeps, previousWarnings: storedTextList(warnings),
    };
  };

  /** Whether the short part of a snapshot is as it was: the same runs running, problems and sweep log. */
  const sameState = (a: Omit<SweepSnapshot, 'jobs'>, b: Omit<SweepSnapshot, 'jobs'>): boolean =>
    JSON.stringify([a.running.map((r) => r.id), a.open, a.sweeps, a.previousWarnings]) === JSON.stringify([b.running.map((r) => r.id), b.open, b.sweeps, b.previousWarnings]);

  /** Writes a verdict: lost runs, opened, reopened, resolving and closed problems, and the sweep's own log line. */
  const write = (at: string, v: SweepVerdict): void => {
    const lose = db.prepare(`UPDATE runs SET status = 'lost', ended_at = @at, duration_ms = @durationMs, reason = @reason
      WHERE id = @runId AND status = 'running'`);
    for (const l of v.lost) lose.run({ ...l, at });
    const open = db.prepare(`INSERT OR REPLACE INTO problems (job, kind, since, run_id, message, opened_at, reported_at, resolved_at)
      VALUES (@job, @kind, @since, @runId, @message, @at, NULL, NULL)`);
    for (const p of v.opened) open.run({ ...p, at });
    const key = (p: ProblemKey) => ({ job: p.job, kind: p.kind });
    const close = db.prepare('DELETE FROM problems WHERE job = @job AND kind = @kind');
    for (const p of v.closed) close.run(key(p));
    const resolving = db.prepare('UPDATE problems SET resolved_at = @at WHERE job = @job AND kind = @kind');
    for (const p of v.resolving) resolving.run({ ...key(p), at });
    const reopen = db.prepare('UPDATE problems SET resolved_at = NULL WHERE job = @job AND kind = @kind');
    for (const p of v.reopened) reopen.run(key(p));
    const log = db.prepare(`INSERT INTO sweeps (at, problems, reported, resolved, lost, warnings, by_hand) VALUES (?, ?, ?, ?, ?, ?, ?)`);
    const id = log.run(at, v.counts.current, v.counts.reported, v.counts.resolved, v.lost.length, JSON.stringify(v.warnings), v.byHand ? 1 : 0).lastInsertRowid;
    db.prepare('DELETE FROM sweeps WHERE id <= ?').run(Number(id) - SWEEP_LOG_KEPT);
  };

  return {
    async sweep(at, crontab, decide) {
      // Everything is read and judged in a read transaction, which holds no lock a run's write (or another
      // sweep) would wait for. BEGIN IMMEDIATE covers only the write: it re-reads the short part (what is
      // still running, the problems, the log) and judges again only when another sweep or a finishing run
      // changed it meanwhile, so two sweeps never both open or close one problem.
      const read = db.transaction(() => {
        const running = runningRuns();
        return { ...fresh(running), jobs: jobFacts(crontab, at) };
      }).deferred();
      const judged = decide(read);
      return db.transaction(() => {
        const now = fresh(read.running);
        const verdict = sameState(now, read) ? judged : decide({ ...now, jobs: read.jobs });
        noteCrontab(at, crontab);
        write(at, verdict);
        return verdict;
      }).immediate();
    },
    async look(at, crontab, decide, host) {
      return decide(db.transaction(() => {
        const running = runningRuns();
        if (host === undefined) return { ...fresh(running), jobs: jobFacts(crontab, at) };
        // One host's part: the crontab given is taken as its own (this file keeps no host per line).
        const mine = fresh(running.filter((r) => r.host === host));
        return { ...mine, sweeps: [], previousWarnings: [], jobs: jobFacts(crontab, at, host, true) };
      }).deferred());
    },
    async markReported(at, news) {
      // After the sweep's output is out: news counts as told from now on.
      db.transaction(() => {
        const told = db.prepare('UPDATE problems SET reported_at = @at WHERE job = @job AND kind = @kind AND reported_at IS NULL');
        for (const p of news.reported) told.run({ job: p.job, kind: p.kind, at });
        const gone = db.prepare('DELETE FROM problems WHERE job = @job AND kind = @kind AND resolved_at IS NOT NULL');
        for (const p of news.resolved) gone.run({ job: p.job, kind: p.kind });
      }).immediate();
    },
    async jobs(host) {
      return jobFacts(undefined, undefined, host ?? null, false, false);
    },
    async lastSweepAt() {
      const row = db.prepare('SELECT at FROM sweeps ORDER BY id DESC LIMIT 1').get() as { at: string } | undefined;
      return row?.at ?? null;
    },
  };
}
