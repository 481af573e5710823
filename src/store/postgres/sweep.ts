import type { SweepRepo } from '../store.ts';
import type { CrontabSeen, EndedRun, JobFacts, OpenProblem, ProblemKind, RunGist, RunningRun, SweepSnapshot, SweepVerdict } from '../../shared/sweep-model.ts';
import { isFinished, type RunStatus } from '../../shared/types.ts';
import type { PgClient, Sql, Tx } from './client.ts';
import { assembleJobs, jobsInOrder, type CrontabJobRow, type RecordedJobRow } from '../job-facts.ts';
import { storedTextList } from '../../shared/stored.ts';
import { FINISHED_SQL } from '../status-sql.ts';
import { streakOf } from './streak.ts';

/** How many sweeps the log keeps. */
const SWEEP_LOG_KEPT = 1000;
const GIST = 'id, status, started_at, ended_at, duration_ms, exit_code, signal, host';
const FINISHED = FINISHED_SQL;
/** Sweeps of every host take turns deciding ('swep'): each problem is then reported by exactly one of them. */
const SWEEP_LOCK = 0x73776570;

interface GistRow { id: string; host: string; status: string; started_at: string; ended_at: string | null; duration_ms: number | null; exit_code: number | null; signal: string | null }

const gist = (row: GistRow | undefined): RunGist | null => row ? {
  id: row.id, host: row.host, status: row.status as RunStatus, startedAt: row.started_at, durationMs: row.duration_ms,
} : null;

/** The run with how it ended (sweep's `failing` says how). */
const ended = (row: GistRow): EndedRun => ({ ...(gist(row) as RunGist), endedAt: row.ended_at, exitCode: row.exit_code, signal: row.signal });

/**
 * Every job known from runs or any host's crontab, with its latest runs (whatever host ran them) and streak.
 * With a host, only its runs count (status --host); with `itsCrontab` too (sweep --host), only its crontab
 * lines, and the jobs they hold count even when it never ran them.
 */
async function jobFacts(sql: Sql | Tx, host: string | null = null, itsCrontab = false, read?: CrontabRead): Promise<JobFacts[]> {
  const ofHost = host === null ? sql`` : sql`AND host = ${host}`;
  const recorded = await sql<RecordedJobRow[]>`SELECT name, schedule, tz, grace_ms, first_seen_at FROM jobs`;
  const onlyHost = host !== null && itsCrontab ? host : null;
  const stored = await sql<Array<CrontabJobRow & { host: string }>>`SELECT host, name, schedules, first_seen_at FROM crontab_jobs ${onlyHost !== null ? sql`WHERE host = ${onlyHost}` : sql``}`;
  const facts = assembleJobs(recorded, read === undefined ? stored : asRecorded(stored, read, onlyHost));
  // Each job's latest run, and for those whose latest is still running their latest finished one: two
  // statements for all jobs (an index seek per job on the server), not two round trips per job.
  const latest = async (names: string[], finishedOnly: boolean) => new Map((await sql<Array<GistRow & { job: string }>>`
    SELECT j.job, r.* FROM json_array_elements_text(${JSON.stringify(names)}::text::json) AS j(job)
    CROSS JOIN LATERAL (SELECT ${sql.unsafe(GIST)} FROM runs WHERE job = j.job ${ofHost} ${finishedOnly ? sql`AND ${sql.unsafe(FINISHED)}` : sql``}
      ORDER BY started_at DESC LIMIT 1) AS r`).map((row) => [row.job, row]));
  const lastOf = await latest(facts.map((f) => f.job), false);
  const unfinished = [...lastOf.values()].filter((row) => !isFinished(row.status as RunStatus)).map((row) => row.job);
  const finishedOf = unfinished.length > 0 ? await latest(unfinished, true) : new Map<string, GistRow>();
  for (const f of facts) {
    const last = lastOf.get(f.job);
    f.last = gist(last);
    const finished = last && isFinished(last.status as RunStatus) ? last : finishedOf.get(f.job);
    f.lastFinished = gist(finished);
    if (finished && finished.status !== 'success') {
      f.failed = ended(finished);
      f.streak = await streakOf(sql, f.job, null, host);
    }
  }
  return jobsInOrder(facts, host, itsCrontab);
}

/** The crontab jobs one host read just now, at `at`: a look judges with them as a sweep would record them. */
interface CrontabRead { host: string; at: string; seen: CrontabSeen[] }

/**
 * The stored crontab rows with the reading host's replaced by what it read, first seen when first stored or
 * else now, exactly as noteCrontab would record them (a look writes nothing); `onlyHost`: the rows read are that host's.
 */
function asRecorded(stored: Array<CrontabJobRow & { host: string }>, read: CrontabRead, onlyHost: string | null): CrontabJobRow[] {
  const mine = new Map(stored.filter((c) => c.host === read.host).map((c) => [c.name, c.first_seen_at]));
  const others = stored.filter((c) => c.host !== read.host);
  if (onlyHost !== null && onlyHost !== read.host) return others;
  return [...others, ...read.seen.map((c) => {
    const first = mine.get(c.name);
    return { name: c.name, schedules: JSON.stringify(c.schedules), first_seen_at: first !== undefined && first < read.at ? first : read.at };
  })];
}

/**
 * The snapshot a sweep on `host` judges: every host's running runs and jobs, open problems, its sweep log.
 * With `only` (sweep --host), that host's part: its running runs, its jobs judged by its runs and crontab, no sweep log.
 */
async function snapshot(tx: Tx, host: string, only: string | null = null, read?: CrontabRead): Promise<SweepSnapshot> {
  const running = (await tx<Array<Record<string, unknown>>>`
    SELECT id, job, started_at, heartbeat_at, host, pid, pid_start, pgid, timeout_ms, kill_after_ms, heartbeat_ms,
      (SELECT max(ended_at) FROM attempts WHERE run_id = runs.id) AS last_attempt_ended_at
    FROM runs WHERE status = 'running' ORDER BY started_at`).map((r): RunningRun => ({
    id: r['id'] as string, job: r['job'] as string, startedAt: r['started_at'] as string, heartbeatAt: r['heartbeat_at'] as string,
    host: r['host'] as string, pid: r['pid'] as number, pidStart: r['pid_start'] as string | null, pgid: r['pgid'] as number | null,
    timeoutMs: r['timeout_ms'] as number | null, killAfterMs: r['kill_after_ms'] as number, heartbeatMs: r['heartbeat_ms'] as number,
    lastAttemptEndedAt: r['last_attempt_ended_at'] as string | null,
  })).filter((r) => only === null || r.host === only);
  const open = (await tx<Array<Record<string, string | null>>>`SELECT job, kind, since, run_id, message, reported_at, resolved_at FROM problems ORDER BY job, kind`)
    .map((p): OpenProblem => ({
      job: p['job'] as string, kind: p['kind'] as ProblemKind, since: p['since'] as string, runId: p['run_id'] ?? null,
      message: p['message'] as string, reported: p['reported_at'] !== null, resolvedAt: p['resolved_at'] ?? null,
    }));
  if (only !== null) return { running, jobs: await jobFacts(tx, only, true, read), open, sweeps: [], previousWarnings: [] };
  // The watcher learns the usual interval from this host's sweeps that cron ran: other hosts sweeping the
  // same minute, or sweeps by hand, are not its rhythm.
  const sweeps = await tx<Array<{ at: string }>>`SELECT at FROM sweeps WHERE host = ${host} AND NOT by_hand ORDER BY id DESC LIMIT 20`;
  const [last] = await tx<Array<{ warnings: string }>>`SELECT warnings FROM sweeps WHERE host = ${host} ORDER BY id DESC LIMIT 1`;
  return { running, jobs: await jobFacts(tx, null, false, read), open, sweeps: sweeps.map((s) => s.at), previousWarnings: storedTextList(last?.warnings) };
}

/** Sweep's tables in PostgreSQL; `host` is this host: its crontab jobs are recorded under its name. */
export function pgSweepRepo(db: PgClient, host: string): SweepRepo {
  /** The sweep lock's release while a sweep holds it, from its decision until markReported. */
  let release: (() => Promise<void>) | null = null;
  /** Records this host's crontab jobs; those no longer in its crontabs are forgotten (other hosts' stay). */
  const noteCrontab = async (tx: Tx, at: string, seen: CrontabSeen[]) => {
    for (const job of seen) {
      await tx`INSERT INTO crontab_jobs (host, name, schedules, first_seen_at, last_seen_at)
        VALUES (${host}, ${job.name}, ${JSON.stringify(job.schedules)}, ${at}, ${at})
        ON CONFLICT (host, name) DO UPDATE SET schedules = excluded.schedules, last_seen_at = excluded.last_seen_at,
          first_seen_at = least(crontab_jobs.first_seen_at, excluded.first_seen_at)`;
    }
    await tx`DELETE FROM crontab_jobs WHERE host = ${host}
      AND name NOT IN (SELECT json_array_elements_text(${JSON.stringify(seen.map((j) => j.name))}::text::json))`;
  };

  const write = async (tx: Tx, at: string, v: SweepVerdict) => {
    for (const l of v.lost) {
      await tx`UPDATE runs SET status = 'lost', ended_at = ${at}, duration_ms = ${l.durationMs}, reason = ${l.reason}
        WHERE id = ${l.runId} AND status = 'running'`;
    }
    for (const p of v.opened) {
      await tx`INSERT INTO problems (job, kind, since, run_id, message, opened_at, reported_at, resolved_at)
        VALUES (${p.job}, ${p.kind}, ${p.since}, ${p.runId}, ${p.message}, ${at}, NULL, NULL)
        ON CONFLICT (job, kind) DO UPDATE SET since = excluded.since, run_id = excluded.run_id, message = excluded.message,
          opened_at = excluded.opened_at, reported_at = NULL, resolved_at = NULL`;
    }
    for (const p of v.closed) await tx`DELETE FROM problems WHERE job = ${p.job} AND kind = ${p.kind}`;
    for (const p of v.resolving) await tx`UPDATE problems SET resolved_at = ${at} WHERE job = ${p.job} AND kind = ${p.kind}`;
    for (const p of v.reopened) await tx`UPDATE problems SET resolved_at = NULL WHERE job = ${p.job} AND kind = ${p.kind}`;
    const [logged] = await tx<Array<{ id: number }>>`INSERT INTO sweeps (at, host, problems, reported, resolved, lost, warnings, by_hand)
      VALUES (${at}, ${host}, ${v.counts.current}, ${v.counts.reported}, ${v.counts.resolved}, ${v.lost.length}, ${JSON.stringify(v.warnings)}, ${v.byHand === true}) RETURNING id`;
    await tx`DELETE FROM sweeps WHERE id <= ${(logged?.id ?? 0) - SWEEP_LOG_KEPT}`;
  };

  return {
    sweep: <T extends SweepVerdict>(at: string, crontab: CrontabSeen[], decide: (snapshot: SweepSnapshot) => T) => db.call(async (sql) => {
      let verdict: T | undefined;
      // Sweeps take turns (runs never wait for this lock): a session lock held from the decision until
      // markReported, so the next sweep reads the news as told and a problem is reported once however
      // many hosts sweep at the same minute. It is held on a connection of its own, which stays open
      // however long the report takes to print; a sweep that dies drops the lock with that connection.
      release ??= await db.holdLock(SWEEP_LOCK);
      await sql.begin(async (tx) => {
        await noteCrontab(tx, at, crontab);
        verdict = decide(await snapshot(tx, host));
        await write(tx, at, verdict);
      });
      return verdict as T;
    }),
    look: <T extends SweepVerdict>(at: string, crontab: CrontabSeen[], decide: (snapshot: SweepSnapshot) => T, onHost?: string) => db.call(async (sql) => {
      // The same reading as a sweep (this host's crontab as just read) in a read-only transaction: nothing is
      // written, and no row lock of a sweep or a run can hold it up.
      let verdict: T | undefined;
      await sql.begin('isolation level repeatable read read only', async (tx) => {
        verdict = decide(await snapshot(tx, host, onHost ?? null, { host, at, seen: crontab }));
      });
      return verdict as T;
    }),
    markReported: (at, news) => db.call(async (sql) => {
      await sql.begin(async (tx) => {
        for (const p of news.reported) await tx`UPDATE problems SET reported_at = ${at} WHERE job = ${p.job} AND kind = ${p.kind} AND reported_at IS NULL`;
        for (const p of news.resolved) await tx`DELETE FROM problems WHERE job = ${p.job} AND kind = ${p.kind} AND resolved_at IS NOT NULL`;
      });
      const held = release;
      release = null;
      await held?.();
    }),
    jobs: (onHost) => db.call((sql) => jobFacts(sql, onHost ?? null)),
    lastSweepAt: () => db.call(async (sql) => (await sql<Array<{ at: string }>>`SELECT at FROM sweeps ORDER BY id DESC LIMIT 1`)[0]?.at ?? null),
  };
}
