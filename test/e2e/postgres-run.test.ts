// The run path over a real PostgreSQL server (a throwaway cluster): records, the job first when the
// server is down or full, the spool ingested once, passwords, migrations racing.
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronEnv, cronguard, tempDir, waitFor, type CliResult } from '../helpers/cli.ts';
import { type PgCluster, postgresMissing, startCluster } from '../helpers/postgres.ts';
import { PG_MIGRATIONS, PG_SCHEMA_VERSION } from '../../src/store/postgres/schema.ts';

const missing = postgresMissing();
const dir = tempDir();
// Started at the top level, so its clean-up belongs to the whole file.
const pg = (missing ? null : await startCluster()) as PgCluster;

const env = (db: string, extra: NodeJS.ProcessEnv = {}) => cronEnv({ CRONGUARD_DB: db, CRONGUARD_SPOOL_DIR: join(dir, 'spool'), ...extra });
const spoolFiles = () => { try { return readdirSync(join(dir, 'spool')).filter((f) => f.endsWith('.spool')); } catch { return []; } };
const warnings = (r: CliResult) => r.stderr.split('\n').filter((l) => l.startsWith('cronguard: '));
type RunJson = { id: string; job: string; status: string; exitCode: number | null; host: string; attempts: Array<{ outputBytes: number }> };
async function history(db: string, ...args: string[]): Promise<RunJson[]> {
  const r = await cronguard(['history', '--json', '--limit', '0', ...args], { env: env(db) });
  assert.equal(r.code, 0, r.stderr);
  return JSON.parse(r.out) as RunJson[];
}

test('runs are recorded in PostgreSQL: success quiet, failure reported, every command reads them', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  const ok = await cronguard(['--name', 'ok', '--', 'true'], { env: env(db) });
  assert.deepEqual([ok.code, ok.out, ok.stderr], [0, '', '']);
  const bad = await cronguard(['--name', 'bad', '--retries', '1', '--retry-delay', '0', '--', 'sh', '-c', 'printf "\\377out"; exit 3'], { env: env(db) });
  assert.equal(bad.code, 3, bad.stderr);
  assert.match(bad.out, /job bad failed \(exit 3\)/);
  const runs = await history(db);
  assert.deepEqual(runs.map((r) => [r.job, r.status, r.exitCode, r.attempts.length]), [['bad', 'failed', 3, 2], ['ok', 'success', 0, 1]]);
  const show = await cronguard(['show', runs[0]?.id.slice(0, 6) ?? '', '--raw'], { env: env(db) });
  assert.deepEqual(show.stdout, Buffer.from('\xffout\xffout', 'latin1'));
  const stats = JSON.parse((await cronguard(['stats', '--json'], { env: env(db) })).out) as Array<{ job: string; runs: number; failures: Record<string, number> }>;
  assert.deepEqual(stats.map((s) => [s.job, s.runs, s.failures['failed']]), [['bad', 1, 1], ['ok', 1, 0]]);
  const status = JSON.parse((await cronguard(['status', '--json'], { env: env(db) })).out) as { jobs: Array<{ job: string; lastStatus: string; failureStreak: number }> };
  assert.deepEqual(status.jobs.map((j) => [j.job, j.lastStatus, j.failureStreak]), [['bad', 'failed', 1], ['ok', 'success', 0]]);
  const sweep = await cronguard(['sweep', '--json', '--crontab', '/dev/null'], { env: env(db) });
  assert.equal(sweep.code, 1, sweep.stderr);
  assert.deepEqual((JSON.parse(sweep.out) as { problems: Array<{ job: string; kind: string }> }).problems.map((p) => [p.job, p.kind]), [['bad', 'failing']]);
  const metrics = await cronguard(['metrics'], { env: env(db) });
  assert.match(metrics.out, /cronguard_job_runs_total\{job="bad"\} 1/);
  const prune = await cronguard(['prune', '--older-than', '0s'], { env: env(db) });
  assert.match(prune.out, /deleted 2 runs \(3 attempts, 8 B of kept output\)/);
  assert.deepEqual(await history(db), []);
});

test('server unreachable: the job runs as it would have, one warning, the record spooled', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  // Nothing listens on port 1: the same database URL otherwise, so the spool is found again.
  const down = db.replace(`:${pg.port}/`, ':1/');
  const r = await cronguard(['--name', 'offline', '--', 'sh', '-c', 'echo still ran; exit 4'], { env: env(down) });
  assert.equal(r.code, 4);
  assert.match(r.out, /still ran/);
  assert.equal(warnings(r).length, 1, r.stderr);
  assert.match(warnings(r)[0] ?? '', /cannot use the database postgres:\/\/postgres@127\.0\.0\.1:1\/.*ECONNREFUSED.*spooled/);
  assert.equal(spoolFiles().length, 1);
  const { readFileSync, rmSync } = await import('node:fs');
  const spooled = readFileSync(join(dir, 'spool', spoolFiles()[0] as string), 'utf8').trim().split('\n');
  assert.equal(spooled.length, 1);
  assert.equal((JSON.parse(spooled[0] as string) as { run: { job: string } }).run.job, 'offline');
  rmSync(join(dir, 'spool'), { recursive: true });
});

test('server stopped mid-run and during start: jobs run, records spooled, ingested once after restart', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  const marker = join(dir, 'started');
  const go = join(dir, 'go');
  const mid = cronguard(['--name', 'mid', '--heartbeat', '1s', '--', 'sh', '-c', `touch ${marker}; while [ ! -e ${go} ]; do sleep 0.05; done; echo done`], { env: env(db), limitMs: 120_000 });
  await waitFor(() => readdirSync(dir).includes('started'), 60_000, 'the job to start');
  pg.stop();
  try {
    writeFileSync(go, '');
    const r = await mid;
    assert.equal(r.code, 0, r.stderr);
    assert.equal(warnings(r).length, 1, r.stderr);
    assert.match(warnings(r)[0] ?? '', /cannot (use|write to) the database .*spooled/);
    // While it is down, a run cannot even connect: it runs all the same.
    const during = await cronguard(['--name', 'during', '--', 'true'], { env: env(db), limitMs: 60_000 });
    assert.equal(during.code, 0);
    assert.match(warnings(during)[0] ?? '', /cannot use the database/);
    assert.equal(spoolFiles().length, 1);
  } finally {
    // The other tests of this file need the server, whatever happened here.
    pg.start();
  }
  const after = await Promise.all([1, 2].map(() => cronguard(['--name', 'after', '--', 'true'], { env: env(db), limitMs: 60_000 })));
  for (const a of after) assert.deepEqual([a.code, a.stderr], [0, '']);
  const runs = await history(db);
  assert.deepEqual(runs.filter((x) => x.job !== 'after').map((x) => [x.job, x.status]).sort(), [['during', 'success'], ['mid', 'success']]);
  assert.equal(runs.length, 4);
  assert.deepEqual(spoolFiles(), []);
});

test('a full server (too many connections): the run waits its turn with backoff, longer than a reader would, instead of giving up', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  const admin = pg.admin();
  // Not a superuser: the limit does not apply to those. Owning the database lets it create the schema.
  await admin.unsafe(`CREATE ROLE limited LOGIN CONNECTION LIMIT 1; ALTER DATABASE ${new URL(db).pathname.slice(1)} OWNER TO limited`);
  const url = db.replace('postgres://postgres@', 'postgres://limited@');
  await cronguard(['--name', 'warm', '--', 'true'], { env: env(url) }); // creates the schema
  const holder = (await import('postgres')).default(url, { max: 1, onnotice: () => {} });
  await holder`SELECT 1`;
  const log = join(pg.dir, 'server.log');
  const { readFileSync } = await import('node:fs');
  const refusedBefore = (readFileSync(log, 'utf8').match(/too many connections for role "limited"/g) ?? []).length;
  const run = cronguard(['--name', 'full', '--', 'true'], { env: env(url), limitMs: 90_000 });
  // 16 refusals: the backoff between them (jittered, from 25 ms doubling to 1 s) sums to more than 5 s, a
  // reader's budget, so the writer's longer patience (30 s) is what lets the record through.
  await waitFor(() => (readFileSync(log, 'utf8').match(/too many connections for role "limited"/g) ?? []).length >= refusedBefore + 16, 60_000, '16 refused connections');
  await holder.end();
  const r = await run;
  assert.deepEqual([r.code, r.stderr], [0, '']);
  assert.deepEqual((await history(db, 'full')).map((x) => x.status), ['success']);
});

test('passwords: PGPASSWORD, PGPASSFILE; a wrong one is a refused login (the job runs); one in the URL is warned about', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  const url = db.replace('postgres://postgres@', 'postgres://secret@');
  const withEnv = await cronguard(['--name', 'pw', '--', 'true'], { env: env(url, { PGPASSWORD: pg.secretPassword }) });
  assert.deepEqual([withEnv.code, withEnv.stderr], [0, '']);
  const passfile = join(dir, 'pgpass');
  writeFileSync(passfile, `# comment\n127.0.0.1:${pg.port}:*:secret:${pg.secretPassword}\n`, { mode: 0o600 });
  const withFile = await cronguard(['--name', 'pw', '--', 'true'], { env: env(url, { PGPASSFILE: passfile }) });
  assert.deepEqual([withFile.code, withFile.stderr], [0, '']);
  const wrong = await cronguard(['--name', 'pw', '--', 'sh', '-c', 'exit 2'], { env: env(url, { PGPASSWORD: 'nope' }) });
  assert.equal(wrong.code, 2);
  assert.match(warnings(wrong)[0] ?? '', /password authentication failed for user "secret"/);
  const inUrl = url.replace('secret@', `secret:${pg.secretPassword}@`);
  const shown = await cronguard(['--name', 'pw', '--', 'true'], { env: env(inUrl) });
  assert.equal(shown.code, 0);
  assert.deepEqual(warnings(shown), ['cronguard: the database URL carries a password, which ps and the crontab show to other users; use PGPASSWORD or ~/.pgpass (PGPASSFILE) instead']);
  assert.ok(!shown.stderr.includes(pg.secretPassword));
  assert.equal((await history(db, 'pw')).length, 3 + 0 + 0); // the wrong password's run waits in the spool
  const bad = await cronguard(['--db', db.replace('sslmode=disable', 'sslmode=sometimes'), '--', 'true'], { env: cronEnv() });
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /^cronguard: --db ".*": sslmode "sometimes" is not one of disable, allow, prefer, require, verify-ca, verify-full\n$/);
});

test('migration race: 10 runs upgrade an old schema at once; each migration applies once, no run fails', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  const sql = pg.admin(new URL(db).pathname.slice(1));
  await sql.begin(async (tx) => {
    await tx.unsafe((PG_MIGRATIONS[0] as { sql: string }).sql);
    await tx.unsafe('CREATE TABLE cronguard_schema (version integer NOT NULL); INSERT INTO cronguard_schema VALUES (1)');
    // What channels heard is seeded from the outbox; a planted payload that is not JSON is skipped, not a failed upgrade.
    const since = '2026-01-01T03:00:00.000Z';
    await tx`INSERT INTO problems (job, kind, since, run_id, message, opened_at, reported_at) VALUES ('old', 'failing', ${since}, NULL, 'failed', ${since}, ${since})`;
    for (const [fp, payload] of [['told', JSON.stringify({ problem: { kind: 'failing', since } })], ['planted', '{"problem": not json']] as const) {
      await tx`INSERT INTO outbox (event_id, event_type, job, channel_fp, payload, created_at, next_at) VALUES (${fp}, 'problem', 'old', ${fp}, ${payload}, ${since}, ${since})`;
    }
  });
  const results = await Promise.all(Array.from({ length: 10 }, (_, i) => cronguard(['--name', `m${i}`, '--', 'true'], { env: env(db), limitMs: 120_000 })));
  for (const r of results) assert.deepEqual([r.code, r.stderr], [0, '']);
  assert.deepEqual([...await sql`SELECT version FROM cronguard_schema`].map((r) => r['version']), [PG_SCHEMA_VERSION]);
  assert.equal((await history(db)).length, 10);
  assert.deepEqual([...await sql`SELECT channel_fp, job, kind FROM channel_problems`].map((r) => [r['channel_fp'], r['job'], r['kind']]), [['told', 'old', 'failing']]);
});
