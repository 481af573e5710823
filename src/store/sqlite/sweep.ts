import type { SweepRepo } from '../store.ts';
import type { CrontabSeen, JobFacts, Problem, RunGist, RunningRun, ScheduleEntry, SweepSnapshot, SweepVerdict } from '../../shared/sweep-model.ts';
import { isFinished, type RunStatus } from '../../shared/types.ts';
import type { SqliteDatabase } from './database.ts';
import { FINISHED_SQL, streakReader } from './streak.ts';

/** How many sweeps the log keeps: enough to know the usual interval, bounded for ever-running hosts. */
const SWEEP_LOG_KEPT = 1000;
/** A run's gist: columns the covering runs_by_job index holds (with the id, the table's key). */
const GIST = 'id, status, started_at, duration_ms';

interface GistRow { id: string; status: string; started_at: string; duration_ms: number | null }

/** A run's gist from its row. */
const gist = (row: GistRow | undefined): RunGist | null => row ? {
  id: row.id, status: row.status as RunStatus, startedAt: row.started_at, durationMs: row.duration_ms,
} : null;

/** Sweep's tables in SQLite. Statements are prepared per call: a read-only status prepares no writes. */
export function sqliteSweepRepo(db: SqliteDatabase): SweepRepo {
  /** Every job from the jobs table and the crontab table, with its latest runs and failure streak. */
  const jobFacts = (): JobFacts[] => {
    const recorded = db.prepare('SELECT name, schedule, tz, grace_ms, first_seen_at FROM jobs').all() as
      Array<{ name: string; schedule: string | null; tz: string | null; grace_ms: number | null; first_seen_at: string }>;
    const crontab = db.prepare('SELECT name, schedules, first_seen_at FROM crontab_jobs').all() as
      Array<{ name: string; schedules: string; first_seen_at: string }>;
    // Per job: two or three seeks into the covering index, and a table row only for a failing job's latest run.
    const last = db.prepare(`SELECT ${GIST} FROM runs WHERE job = ? ORDER BY started_at DESC LIMIT 1`);
    const lastFinished = db.prepare(`SELECT ${GIST} FROM runs WHERE job = ? AND ${FINISHED_SQL} ORDER BY started_at DESC LIMIT 1`);
    const ending = db.prepare('SELECT ended_at, exit_code, signal FROM runs WHERE id = ?');
    const streak = streakReader(db);
    const facts = new Map<string, JobFacts>();
    const fact = (name: string): JobFacts => {
      let f = facts.get(name);
      if (!f) facts.set(name, (f = { job: name, recorded: null, crontab: [], firstSeenAt: null, last: null, lastFinished: null, failed: null, streak: { count: 0, since: null } }));
      return f;
    };
    const earliest = (a: string | null, b: string) => (a === null || b < a ? b : a);
    for (const r of recorded) {
      const f = fact(r.name);
      if (r.schedule !== null) f.recorded = { schedule: r.schedule, tz: r.tz, graceMs: r.grace_ms, source: '--schedule' };
      f.firstSeenAt = earliest(f.firstSeenAt, r.first_seen_at);
    }
    for (const c of crontab) {
      const f = fact(c.name);
      f.crontab = JSON.parse(c.schedules) as ScheduleEntry[];
      f.firstSeenAt = earliest(f.firstSeenAt, c.first_seen_at);
    }
    for (const f of facts.values()) {
      f.last = gist(last.get(f.job) as GistRow | undefined);
      f.lastFinished = f.last && isFinished(f.last.status) ? f.last : gist(lastFinished.get(f.job) as GistRow | undefined);
      if (f.lastFinished && f.lastFinished.status !== 'success') {
        const end = ending.get(f.lastFinished.id) as { ended_at: string | null; exit_code: number | null; signal: string | null } | undefined;
        f.failed = { ...f.lastFinished, endedAt: end?.ended_at ?? null, exitCode: end?.exit_code ?? null, signal: end?.signal ?? null };
        f.streak = streak(f.job);
      }
    }
    return [...facts.values()].sort((a, b) => (a.job < b.job ? -1 : a.job > b.job ? 1 : 0));
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

  /** The rest of the snapshot: running runs, open problems, the sweep log. */
  const snapshot = (): SweepSnapshot => {
    const running = (db.prepare(`
      SELECT id, job, started_at, heartbeat_at, host, pid, pid_start, pgid, timeout_ms, kill_after_ms, heartbeat_ms,
        (SELECT max(ended_at) FROM attempts WHERE run_id = runs.id) AS last_attempt_ended_at
      FROM runs WHERE status = 'running'`).all() as Array<Record<string, unknown>>).map((r): RunningRun => ({
      id: r['id'] as string, job: r['job'] as string, startedAt: r['started_at'] as string, heartbeatAt: r['heartbeat_at'] as string,
      host: r['host'] as string, pid: r['pid'] as number, pidStart: r['pid_start'] as string | null, pgid: r['pgid'] as number | null,
      timeoutMs: r['timeout_ms'] as number | null, killAfterMs: r['kill_after_ms'] as number, heartbeatMs: r['heartbeat_ms'] as number,
      lastAttemptEndedAt: r['last_attempt_ended_at'] as string | null,
    })).sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1)); // sorted here: an ORDER BY would make SQLite walk an index over all 1M runs
    const open = (db.prepare('SELECT job, kind, since, run_id, message FROM problems ORDER BY job, kind').all() as Array<Record<string, string | null>>)
      .map((p) => ({ job: p['job'], kind: p['kind'], since: p['since'], runId: p['run_id'], message: p['message'] }) as Problem);
    const sweeps = db.prepare('SELECT at, warnings FROM sweeps ORDER BY id DESC LIMIT 20').all() as Array<{ at: string; warnings: string }>;
    return { running, jobs: jobFacts(), open, sweeps: sweeps.map((s) => s.at), previousWarnings: JSON.parse(sweeps[0]?.warnings ?? '[]') as string[] };
  };

  /** Writes a verdict: lost runs, opened and closed problems, and the sweep's own log line. */
  const write = (at: string, v: SweepVerdict): void => {
    const lose = db.prepare(`UPDATE runs SET status = 'lost', ended_at = @at, duration_ms = @durationMs, reason = @reason
      WHERE id = @runId AND status = 'running'`);
    for (const l of v.lost) lose.run({ ...l, at });
    const open = db.prepare(`INSERT OR REPLACE INTO problems (job, kind, since, run_id, message, opened_at)
      VALUES (@job, @kind, @since, @runId, @message, @at)`);
    for (const p of v.opened) open.run({ ...p, at });
    const close = db.prepare('DELETE FROM problems WHERE job = @job AND kind = @kind');
    for (const p of v.closed) close.run({ job: p.job, kind: p.kind });
    const log = db.prepare(`INSERT INTO sweeps (at, problems, reported, resolved, lost, warnings) VALUES (?, ?, ?, ?, ?, ?)`);
    const id = log.run(at, v.counts.current, v.counts.reported, v.counts.resolved, v.lost.length, JSON.stringify(v.warnings)).lastInsertRowid;
    db.prepare('DELETE FROM sweeps WHERE id <= ?').run(Number(id) - SWEEP_LOG_KEPT);
  };

  return {
    async sweep(at, crontab, decide) {
      return db.transaction(() => {
        noteCrontab(at, crontab);
        const verdict = decide(snapshot());
        write(at, verdict);
        return verdict;
      }).immediate();
    },
    async jobs() {
      return jobFacts();
    },
    async lastSweepAt() {
      const row = db.prepare('SELECT at FROM sweeps ORDER BY id DESC LIMIT 1').get() as { at: string } | undefined;
      return row?.at ?? null;
    },
  };
}
