// PostgreSQL (SPEC §8), against a throwaway cluster on this host: a run's start-up against SQLite's, a burst
// of 200 runs over PostgreSQL against the same burst on SQLite (median of 3 rounds), and history/stats on 1M runs in each.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { attemptParams, runParams } from '../src/store/sqlite/rows.ts';
import { ATTEMPT_COLUMNS, RUN_COLUMNS } from '../src/store/sqlite/runs.ts';
import { postgresMissing, startCluster, type AdminSql } from '../test/helpers/postgres.ts';
import { compareMedians, median, report } from './measure.ts';
import { seedData, seedRuns } from './seed.ts';

const RUNS = 1_000_000;
/** The burst: this many runs started at once, measured this many times (the median counts). */
const BURST = 200;
const BURSTS = 3;
const JOBS = 200;
const BIN = join(process.cwd(), 'bin', 'cronguard');
const node = process.execPath;

/** One value in COPY's text format. */
function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  if (Buffer.isBuffer(v)) return `\\\\x${v.toString('hex')}`;
  return String(v).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n').replace(/\r/g, '\\r');
}

/** Loads the bench's 1M runs into PostgreSQL with COPY (indexes dropped and rebuilt, as the SQLite loader does). */
async function seedPostgres(sql: AdminSql): Promise<number> {
  const started = Date.now();
  const data = seedData({ jobs: JOBS, runs: RUNS });
  for (const job of data.jobs) {
    await sql`INSERT INTO jobs (name, schedule, tz, grace_ms, first_seen_at, updated_at) VALUES
      (${job.name}, ${job.schedule?.schedule ?? null}, ${job.schedule?.tz ?? null}, ${job.schedule?.graceMs ?? null}, ${job.firstSeenAt}, ${job.firstSeenAt})`;
  }
  const indexes = await sql<Array<{ name: string; def: string }>>`SELECT indexname AS name, indexdef AS def FROM pg_indexes
    WHERE tablename IN ('runs', 'attempts') AND indexname NOT LIKE '%_pkey'`;
  for (const i of indexes) await sql.unsafe(`DROP INDEX ${i.name}`);
  await sql.unsafe('ALTER TABLE attempts DROP CONSTRAINT attempts_run_id_fkey');
  const runCols = RUN_COLUMNS.split(',').map((c) => c.trim());
  const attemptCols = ATTEMPT_COLUMNS.split(',').map((c) => c.trim());
  const attempts: string[] = [];
  function* runLines() {
    for (const run of data.runs) {
      const row = runParams(run) as unknown as Record<string, unknown>;
      yield `${runCols.map((c) => copyValue(row[c])).join('\t')}\n`;
      for (const a of run.attempts) {
        const ar = attemptParams(run.id, a) as unknown as Record<string, unknown>;
        attempts.push(`${attemptCols.map((c) => copyValue(ar[c])).join('\t')}\n`);
      }
    }
  }
  await pipeline(Readable.from(runLines()), await sql.unsafe(`COPY runs (${RUN_COLUMNS}) FROM STDIN`).writable());
  await pipeline(Readable.from(attempts), await sql.unsafe(`COPY attempts (${ATTEMPT_COLUMNS}) FROM STDIN`).writable());
  for (const i of indexes) await sql.unsafe(i.def);
  await sql.unsafe('ALTER TABLE attempts ADD CONSTRAINT attempts_run_id_fkey FOREIGN KEY (run_id) REFERENCES runs (id) ON DELETE CASCADE');
  await sql.unsafe('VACUUM ANALYZE runs, attempts');
  return Date.now() - started;
}

/** `count` runs of `cronguard -- true` started at once: wall time, and how many wrote to stderr or failed. */
function burst(db: string, count: number): Promise<{ ms: number; errors: number; sample: string }> {
  const start = process.hrtime.bigint();
  let errors = 0;
  let sample = '';
  return Promise.all(Array.from({ length: count }, () => new Promise<void>((resolve) => {
    const child = spawn(node, [BIN, '--db', db, '--', 'true'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, CRONGUARD_SPOOL_DIR: join(dir, 'spool') } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (code) => {
      if (code !== 0 || stderr) { errors++; sample ||= `exit ${code}: ${stderr.split('\n')[0]}`; }
      resolve();
    });
  }))).then(() => ({ ms: Number(process.hrtime.bigint() - start) / 1e6, errors, sample }));
}

const dir = mkdtempSync(join(tmpdir(), 'cronguard-bench-pg-'));
const cleanUps: Array<() => Promise<void>> = [];
try {
  const missing = postgresMissing();
  if (missing) throw new Error(`skipped: ${missing}`);
  const pg = await startCluster((fn) => cleanUps.push(fn));
  const admin = pg.admin();

  const startUrl = await pg.createDatabase();
  const sqliteDb = join(dir, 'start.db');
  compareMedians([[node, BIN, '--db', startUrl, '--', 'true'], [node, BIN, '--db', sqliteDb, '--', 'true']], 2);
  const [pgStart = 0, sqliteStart = 0] = compareMedians([[node, BIN, '--db', startUrl, '--', 'true'], [node, BIN, '--db', sqliteDb, '--', 'true']], 30);
  report('--db postgres:// -- true / SQLite (median of 30)', `${(pgStart / sqliteStart).toFixed(2)} (${pgStart.toFixed(1)} / ${sqliteStart.toFixed(1)} ms)`, '<= 1.3');

  // The burst, BURSTS times (PostgreSQL then SQLite each round, so drift in the machine's load hits both):
  // the figure is the median round, not one sample; warnings are counted over every round.
  const burstUrl = await pg.createDatabase();
  const burstSqlite = join(dir, 'burst.db');
  await burst(burstUrl, 1); // the schema, created once
  await burst(burstSqlite, 1);
  // Peaks of the server's sessions of cronguard, and of those waiting for a lock (runs must not queue on one).
  let peak = 0;
  let lockPeak = 0;
  const watch = setInterval(() => {
    void admin`SELECT count(*)::int AS n, (count(*) FILTER (WHERE wait_event_type = 'Lock'))::int AS locked
      FROM pg_stat_activity WHERE application_name = 'cronguard'`.then(([r]) => {
      peak = Math.max(peak, (r?.['n'] as number) ?? 0);
      lockPeak = Math.max(lockPeak, (r?.['locked'] as number) ?? 0);
    }, () => {});
  }, 20);
  const rounds: Array<{ pg: Awaited<ReturnType<typeof burst>>; sqlite: Awaited<ReturnType<typeof burst>>; load: number }> = [];
  for (let i = 0; i < BURSTS; i++) {
    const load = loadavg()[0] ?? 0;
    rounds.push({ pg: await burst(burstUrl, BURST), sqlite: await burst(burstSqlite, BURST), load });
  }
  clearInterval(watch);
  const burstSql = pg.admin(new URL(burstUrl).pathname.slice(1));
  const [recorded] = await burstSql<Array<{ n: number }>>`SELECT count(*)::int AS n FROM runs`;
  const pgMs = median(rounds.map((r) => r.pg.ms));
  const sqliteMs = median(rounds.map((r) => r.sqlite.ms));
  const errors = rounds.reduce((n, r) => n + r.pg.errors, 0);
  report(`${BURST} concurrent runs over PostgreSQL / SQLite (median of ${BURSTS})`, `${(pgMs / sqliteMs).toFixed(2)} (${pgMs.toFixed(0)} / ${sqliteMs.toFixed(0)} ms)`, 'recorded, 0 errors');
  report('  each round: PostgreSQL / SQLite ms (load avg)', rounds.map((r) => `${r.pg.ms.toFixed(0)}/${r.sqlite.ms.toFixed(0)} (${r.load.toFixed(1)})`).join(', '), 'informative');
  report('  recorded / warnings or errors / peak connections', `${(recorded?.n ?? 0) - 1}/${BURST * BURSTS}, ${errors}, ${peak}`, `${BURST * BURSTS}/${BURST * BURSTS}, 0, < 100`);
  report('  peak sessions waiting for a lock', `${lockPeak}`, 'about 0');
  const sample = rounds.find((r) => r.pg.errors)?.pg.sample;
  if (sample) report('  first warning or error', sample, 'none');

  const bigUrl = await pg.createDatabase();
  await burst(bigUrl, 1);
  const bigSql = pg.admin(new URL(bigUrl).pathname.slice(1));
  await bigSql`DELETE FROM runs`;
  const pgSeedMs = await seedPostgres(bigSql);
  const bigSqlite = join(dir, 'big.db');
  const sqliteSeed = seedRuns(bigSqlite, { jobs: JOBS, runs: RUNS });
  report(`seed ${RUNS} runs: PostgreSQL (COPY) / SQLite`, `${(pgSeedMs / 1000).toFixed(1)} s / ${(sqliteSeed.ms / 1000).toFixed(1)} s`, 'setup only');
  const [pgHistory = 0, sqliteHistory = 0] = compareMedians([
    [node, BIN, 'history', '--limit', '50', '--db', bigUrl], [node, BIN, 'history', '--limit', '50', '--db', bigSqlite]], 9);
  report('history --limit 50 on 1M: PostgreSQL / SQLite', `${(pgHistory / sqliteHistory).toFixed(2)} (${pgHistory.toFixed(0)} / ${sqliteHistory.toFixed(0)} ms)`, 'comparable');
  const [pgStats = 0, sqliteStats = 0] = compareMedians([
    [node, BIN, 'stats', '--since', '30d', '--db', bigUrl], [node, BIN, 'stats', '--since', '30d', '--db', bigSqlite]], 5);
  report('stats --since 30d on 1M: PostgreSQL / SQLite', `${(pgStats / sqliteStats).toFixed(2)} (${pgStats.toFixed(0)} / ${sqliteStats.toFixed(0)} ms)`, 'comparable');
} catch (error) {
  report('postgres bench', (error as Error).message, 'a PostgreSQL server installed');
} finally {
  for (const fn of cleanUps) await fn();
  rmSync(dir, { recursive: true, force: true });
}
