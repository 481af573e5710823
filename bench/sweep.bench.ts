// Sweep over 1,000 jobs and 1M runs: wall time against `cronguard --version` (issue 4: goal ≤ 3).
// Rows are generated straight into the database (not by running jobs), as a year of a busy host would leave them.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/store/sqlite/index.ts';
import { compareMedians, report, wallMs } from './measure.ts';

const JOBS = 1000;
const RUNS_PER_JOB = 1000;
const SCHEDULES = ['*/15 * * * *', '0 3 * * *', '30 2 * * 1-5', '0 * * * *', '*/5 * * * *', '@daily'];
const ZONES = [null, 'UTC', 'Europe/Berlin', 'America/New_York'];

/** Fills a fresh database: every job scheduled, its runs spread back from now, a few failing at the end. */
function seed(path: string): void {
  openSqliteStore(path, false).close();
  const db = new Database(path);
  const job = db.prepare('INSERT INTO jobs (name, schedule, tz, grace_ms, first_seen_at, updated_at) VALUES (?, ?, ?, 300000, ?, ?)');
  const run = db.prepare(`INSERT INTO runs (id, job, status, exit_code, signal, started_at, heartbeat_at, ended_at, duration_ms,
    host, pid, pid_start, pgid, command, timeout_ms, kill_after_ms, heartbeat_ms, reason)
    VALUES (?, ?, ?, ?, NULL, ?, ?, ?, 1200, 'bench', 1, '1', 1, '["/bin/true"]', NULL, 10000, 30000, NULL)`);
  const now = Date.now();
  db.transaction(() => {
    for (let j = 0; j < JOBS; j++) {
      const name = `job-${String(j).padStart(4, '0')}`;
      const first = new Date(now - RUNS_PER_JOB * 3_600_000).toISOString();
      job.run(name, SCHEDULES[j % SCHEDULES.length], ZONES[j % ZONES.length], first, first);
      for (let r = 0; r < RUNS_PER_JOB; r++) {
        const start = now - (RUNS_PER_JOB - r) * 3_600_000 + j * 1000;
        const failed = j % 10 === 0 && r > RUNS_PER_JOB - 5;
        const iso = new Date(start).toISOString();
        run.run(`${String(j).padStart(4, '0')}-${String(r).padStart(8, '0')}-bench`, name, failed ? 'failed' : 'success', failed ? 1 : 0, iso, iso, new Date(start + 1200).toISOString());
      }
    }
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

const dir = mkdtempSync(join(tmpdir(), 'cronguard-bench-sweep-'));
try {
  const db = join(dir, 'bench.db');
  const t0 = Date.now();
  seed(db);
  console.log(`seeded ${JOBS} jobs, ${JOBS * RUNS_PER_JOB} runs in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const sweep = [process.execPath, 'bin/cronguard', 'sweep', '--crontab', '/dev/null', '--db', db];
  wallMs(sweep); // the first sweep opens this database's problems; the measured ones are steady state
  const [version, swept] = compareMedians([[process.execPath, 'bin/cronguard', '--version'], sweep], 7) as [number, number];
  report('sweep (1,000 jobs, 1M runs) / --version', `${(swept / version).toFixed(2)} (${swept.toFixed(0)} / ${version.toFixed(0)} ms)`, '<= 3');

  // 50 sweeps during 200 runs, all started at once: sweep reads outside its write transaction, so no run
  // should wait out the busy timeout (a warning and a spooled record) and no sweep should fail on it.
  const started = (argv: string[]) => new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/cronguard', ...argv], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr }));
  });
  const runs = Array.from({ length: 200 }, (_, i) => started(['--name', `burst-${i % 20}`, '--db', db, '--', 'true']));
  const sweeps = Array.from({ length: 50 }, () => started(['sweep', '--crontab', '/dev/null', '--db', db]));
  const ran = await Promise.all(runs);
  const swept2 = await Promise.all(sweeps);
  const warnings = ran.filter((r) => r.stderr !== '').length;
  const errors = swept2.filter((r) => r.code !== 0 && r.code !== 1).length;
  report('50 sweeps during 200 runs: runs that warned', `${warnings}`, '0');
  report('50 sweeps during 200 runs: sweeps that failed', `${errors}${errors ? ` (${swept2.find((r) => r.code !== 0 && r.code !== 1)?.stderr.trim()})` : ''}`, '0');
} finally {
  rmSync(dir, { recursive: true, force: true });
}
