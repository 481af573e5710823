// Several hosts on one PostgreSQL database: --once across hosts, hosts in the listings, a host killed
// mid-run seen by another host's sweep (separate UTS/PID namespaces), many sweeps reporting once.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, cronEnv, cronguard, tempDir, waitFor, type CliResult } from '../helpers/cli.ts';
import { type PgCluster, postgresMissing, startCluster } from '../helpers/postgres.ts';

const missing = postgresMissing();
const dir = tempDir();
const pg = (missing ? null : await startCluster()) as PgCluster;
const env = (db: string, host: string) => cronEnv({ CRONGUARD_DB: db, CRONGUARD_HOST: host, CRONGUARD_SPOOL_DIR: join(dir, 'spool') });
const ok = (r: CliResult) => assert.equal(r.code, 0, r.stderr);

test('three hosts run the same --once job in the same second, 100 times: 100 runs, 200 skipped naming the winner', { skip: missing ?? false, timeout: 900_000 }, async () => {
  const db = await pg.createDatabase();
  ok(await cronguard(['--name', 'warm', '--', 'true'], { env: env(db, 'h0') }));
  // Each job's scheduled start nearest to now is the same 1 January for all three hosts.
  const round = async (i: number) => Promise.all(['h1', 'h2', 'h3'].map((host) => cronguard(
    ['--once', '--schedule', '0 0 1 1 *', '--tz', 'UTC', '--name', `once-${i}`, '--', 'true'], { env: env(db, host), limitMs: 300_000 })));
  const results: CliResult[] = [];
  for (let i = 0; i < 100; i += 10) {
    for (const batch of await Promise.all(Array.from({ length: 10 }, (_, k) => round(i + k)))) results.push(...batch);
  }
  for (const r of results) assert.deepEqual([r.code, r.out, r.stderr], [0, '', '']);
  const sql = pg.admin(new URL(db).pathname.slice(1));
  const rows = await sql<Array<{ job: string; status: string; host: string; reason: string | null }>>`
    SELECT job, status, host, reason FROM runs WHERE job LIKE 'once-%' ORDER BY job, status`;
  assert.equal(rows.filter((r) => r.status === 'success').length, 100);
  assert.equal(rows.filter((r) => r.status === 'skipped').length, 200);
  for (let i = 0; i < 100; i++) {
    const mine = rows.filter((r) => r.job === `once-${i}`);
    const winner = mine.find((r) => r.status === 'success');
    assert.ok(winner, `once-${i} ran`);
    for (const loser of mine.filter((r) => r.status === 'skipped')) {
      assert.notEqual(loser.host, winner.host);
      assert.match(loser.reason ?? '', new RegExp(`claimed by host ${winner.host} `));
    }
  }
});

test('--once: a usage error without --schedule (125); an unreachable database: the job does not run, a report, exit 75; SQLite works too', { skip: missing ?? false }, async () => {
  const noSchedule = await cronguard(['--once', '--', 'true'], { env: cronEnv({ CRONGUARD_DB: join(dir, 'x.db') }) });
  assert.equal(noSchedule.code, 125);
  assert.match(noSchedule.stderr, /^cronguard: --once needs --schedule/);
  const marker = join(dir, 'ran');
  const down = (await pg.createDatabase()).replace(`:${pg.port}/`, ':1/');
  const r = await cronguard(['--once', '--schedule', '*/5 * * * *', '--name', 'guarded', '--', 'touch', marker], { env: env(down, 'h1') });
  assert.equal(r.code, 75);
  assert.match(r.out, /^cronguard: job guarded did not run: --once must claim its start at .* ECONNREFUSED/);
  assert.equal(existsSync(marker), false);
  // SQLite: several crontab lines of one host share a file.
  const file = join(dir, 'once.db');
  const both = await Promise.all([1, 2].map(() => cronguard(['--once', '--schedule', '@daily', '--name', 'daily', '--', 'true'], { env: cronEnv({ CRONGUARD_DB: file }) })));
  for (const b of both) assert.deepEqual([b.code, b.out, b.stderr], [0, '', '']);
  const runs = JSON.parse((await cronguard(['history', '--json'], { env: cronEnv({ CRONGUARD_DB: file }) })).out) as Array<{ status: string }>;
  assert.deepEqual(runs.map((x) => x.status).sort(), ['skipped', 'success']);
});

test('history, stats, status and metrics across hosts, and narrowed with --host', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  ok(await cronguard(['--name', 'web', '--', 'true'], { env: env(db, 'web1') }));
  ok(await cronguard(['--name', 'web', '--', 'true'], { env: env(db, 'web2') }));
  assert.equal((await cronguard(['--name', 'web', '--', 'false'], { env: env(db, 'web2') })).code, 1);
  const read = (args: string[]) => cronguard(args, { env: env(db, 'reader') });
  const table = (await read(['history'])).out;
  assert.match(table.split('\n')[0] ?? '', /JOB\s+HOST\s+STATUS/);
  assert.match(table, /web\s+web2\s+failed/);
  const hosts = (args: string[]) => read([...args, '--json']).then((r) => (JSON.parse(r.out) as Array<{ host: string }>).map((x) => x.host));
  assert.deepEqual(await hosts(['history', '--host', 'web1']), ['web1']);
  const stats = JSON.parse((await read(['stats', '--json', '--host', 'web2'])).out) as Array<{ runs: number; successes: number }>;
  assert.deepEqual(stats.map((s) => [s.runs, s.successes]), [[2, 1]]);
  const status = JSON.parse((await read(['status', '--json', '--host', 'web1'])).out) as { jobs: Array<{ lastStatus: string; failureStreak: number }> };
  assert.deepEqual(status.jobs.map((j) => [j.lastStatus, j.failureStreak]), [['success', 0]]);
  assert.deepEqual((JSON.parse((await read(['status', '--json', '--host', 'nowhere'])).out) as { jobs: unknown[] }).jobs, []);
  // Status names each job's latest host once its lines span more than one.
  ok(await cronguard(['--name', 'cache', '--', 'true'], { env: env(db, 'web1') }));
  assert.match((await read(['status'])).out, /JOB\s+RUNS\s+TREND\s+SCHEDULE\s+HOST\s+LAST[^\n]*\ncache\s+s\s+\S+\s+-\s+web1\s+success[^\n]*\nweb\s+ssF\s+\S+\s+-\s+web2\s+failed/);
  // --host narrows the pictures too: web2's strip holds its two runs, its histogram counts them.
  assert.match((await read(['status', '--host', 'web2'])).out, /^web\s+sF\s/m);
  assert.match((await read(['status', '--host', 'web1'])).out, /^web\s+s\s/m);
  assert.match((await read(['stats', 'web', '--host', 'web2'])).out, /^durations of web \(2 finished runs\):$/m);
  assert.match((await read(['stats', 'web'])).out, /^durations of web \(3 finished runs\):$/m);
  const lastHosts = JSON.parse((await read(['status', '--json'])).out) as { jobs: Array<{ job: string; lastHost: string | null }> };
  assert.deepEqual(lastHosts.jobs.map((j) => [j.job, j.lastHost]), [['cache', 'web1'], ['web', 'web2']]);
  assert.match((await read(['metrics', '--host', 'web1'])).out, /cronguard_job_runs_total\{job="web"\} 1\n/);
  assert.match((await read(['metrics'])).out, /cronguard_job_runs_total\{job="web"\} 3\n/);
  // A single-host database shows no host column.
  const single = await pg.createDatabase();
  ok(await cronguard(['--name', 'solo', '--', 'true'], { env: env(single, 'only') }));
  assert.doesNotMatch((await cronguard(['history'], { env: env(single, 'only') })).out, /HOST/);
});

test('a host killed mid-run (its own PID and UTS namespace): another host\'s sweep marks the run lost once its heartbeat is stale', { skip: missing ?? (spawnSync('unshare', ['--pid', '--fork', '--uts', 'true']).status === 0 ? false : 'unshare --pid --uts is not permitted here') }, async () => {
  const db = await pg.createDatabase();
  const marker = join(dir, 'victim-started');
  // The victim "host": its own hostname and process table; killing its init kills everything in it.
  const victim = spawn('unshare', ['--pid', '--fork', '--uts', '--kill-child', 'sh', '-c', `hostname victim; exec ${process.execPath} ${BIN} --name longjob --heartbeat 1s -- sh -c 'touch ${marker}; exec sleep 600'`],
    { env: cronEnv({ CRONGUARD_DB: db, CRONGUARD_SPOOL_DIR: join(dir, 'spool') }), stdio: 'ignore' });
  try {
    await waitFor(() => existsSync(marker), 60_000, 'the victim job to start');
    const sweep = (args: string[] = []) => cronguard(['sweep', '--json', '--crontab', '/dev/null', '--stale', '3s', ...args], { env: env(db, 'watcher') });
    type SweepJson = { problems: Array<{ job: string; kind: string; message: string }> };
    // While its heartbeats come, the run on the other host is left alone.
    const fresh = await sweep();
    assert.equal(fresh.code, 0, fresh.out + fresh.stderr);
    victim.kill('SIGKILL');
    let lost: SweepJson | null = null;
    await (async () => {
      const until = Date.now() + 120_000;
      while (lost === null && Date.now() < until) {
        const r = await sweep();
        const parsed = JSON.parse(r.out) as SweepJson;
        if (parsed.problems.some((p) => p.kind === 'stuck')) lost = parsed;
      }
    })();
    assert.ok(lost, 'a sweep reported the run stuck');
    assert.match((lost as SweepJson).problems.find((p) => p.kind === 'stuck')?.message ?? '', /no heartbeat from host victim/);
    const runs = JSON.parse((await cronguard(['history', '--json'], { env: env(db, 'watcher') })).out) as Array<{ host: string; status: string }>;
    assert.deepEqual(runs.map((r) => [r.host, r.status]), [['victim', 'lost']]);
  } finally {
    victim.kill('SIGKILL');
  }
});

test('sweeps on five hosts at once report each problem once', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  for (const [i, host] of ['a', 'b', 'c'].entries()) {
    assert.equal((await cronguard(['--name', `bad${i}`, '--', 'false'], { env: env(db, host) })).code, 1);
  }
  const sweeps = await Promise.all(['s1', 's2', 's3', 's4', 's5'].map((host) =>
    cronguard(['sweep', '--json', '--crontab', '/dev/null'], { env: env(db, host), limitMs: 120_000 })));
  const reported = sweeps.flatMap((s) => (JSON.parse(s.out) as { problems: Array<{ job: string; kind: string }> }).problems.map((p) => `${p.job}/${p.kind}`));
  assert.deepEqual(reported.sort(), ['bad0/failing', 'bad1/failing', 'bad2/failing']);
  // One sweep reported the news (exit 1); the others found it reported already: nothing to say (exit 0).
  assert.deepEqual(sweeps.map((s) => s.code).sort(), [0, 0, 0, 0, 1], sweeps.map((s) => s.stderr + s.out).join('\n'));
});

test('a sweep slow to print its report keeps the lock: another host\'s sweep waits for it, then finds the news told', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  assert.equal((await cronguard(['--name', 'slowtold', '--', 'false'], { env: env(db, 'a') })).code, 1);
  const gateFile = join(dir, 'slow-report-gate');
  const sweep = (host: string, extra: NodeJS.ProcessEnv = {}) => cronguard(['sweep', '--json', '--crontab', '/dev/null'], { env: { ...env(db, host), ...extra }, limitMs: 120_000 });
  const first = sweep('s1', { CRONGUARD_TEST_FAULT: 'sweep-hold-report', CRONGUARD_TEST_GATE: gateFile });
  await waitFor(() => existsSync(`${gateFile}.held`), 60_000, 'the first sweep holding its printed report');
  let secondDone = false;
  const second = sweep('s2').finally(() => { secondDone = true; });
  // The calls' connection closes after 2 s idle: the lock must outlive that while the second sweep waits.
  const sql = pg.admin(new URL(db).pathname.slice(1));
  await waitFor(async () => {
    if (secondDone) return true;
    const [row] = await sql<Array<{ waiting: number; idle_s: number | null }>>`
      SELECT count(*) FILTER (WHERE NOT l.granted)::int AS waiting,
        (max(extract(epoch FROM now() - a.state_change)) FILTER (WHERE l.granted AND a.state = 'idle'))::float8 AS idle_s
      FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory'`;
    return (row?.waiting ?? 0) > 0 && (row?.idle_s ?? 0) >= 4;
  }, 60_000, 'the second sweep waiting while the first, idle for 4 s, still holds the lock', 200);
  await sql.end();
  assert.equal(secondDone, false, 'the second sweep went ahead while the first had not marked its news told');
  writeFileSync(gateFile, '');
  const [a, b] = await Promise.all([first, second]);
  const problems = (r: CliResult) => (JSON.parse(r.out) as { problems: Array<{ job: string; kind: string }> }).problems.map((p) => `${p.job}/${p.kind}`);
  assert.deepEqual([a.code, problems(a)], [1, ['slowtold/failing']], a.stderr);
  assert.deepEqual([b.code, problems(b)], [0, []], b.stderr);
});

test('sweep --host: one host\'s part only (its runs, its recorded crontab), as --all; it writes nothing and resolves nothing', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  const on = (host: string, args: string[]) => cronguard(args, { env: env(db, host) });
  assert.equal((await on('web3', ['--name', 'b', '--', 'false'])).code, 1);
  ok(await on('web3', ['--name', 'a', '--', 'true']));
  assert.equal((await on('web1', ['--name', 'a', '--', 'false'])).code, 1);
  // web3's own sweep records its crontab: a job it should run every minute, never run yet.
  const web3Crontab = join(dir, 'web3.crontab');
  const centralCrontab = join(dir, 'central.crontab');
  const { writeFileSync } = await import('node:fs');
  writeFileSync(web3Crontab, `* * * * * ${BIN} --name minutely -- true\n`);
  writeFileSync(centralCrontab, `* * * * * ${BIN} --name central-only -- true\n`);
  const swept = await on('web3', ['sweep', '--json', '--crontab', web3Crontab]);
  assert.equal(swept.code, 1, swept.stderr);
  const sweptAt = JSON.parse((await on('central', ['status', '--json'])).out).lastSweepAt as string;
  const later = new Date(Date.now() + 15 * 60_000).toISOString();
  type SweepJson = { problems: Array<{ job: string; kind: string }>; resolved: unknown[] };
  const look = async (host: string, args: string[]) => {
    const r = await on('central', ['sweep', '--json', '--crontab', centralCrontab, '--at', later, '--host', host, ...args]);
    assert.ok(r.out, r.stderr);
    const parsed = JSON.parse(r.out) as SweepJson;
    return { code: r.code, problems: parsed.problems.map((p) => `${p.job}/${p.kind}`).sort(), resolved: parsed.resolved };
  };
  // What is wrong on web3: its own failure, its crontab job not run; not web1's failure of `a` (web3's run of it succeeded),
  // nor the crontab of the host looking.
  assert.deepEqual(await look('web3', []), { code: 1, problems: ['b/failing', 'minutely/overdue'], resolved: [] });
  assert.deepEqual(await look('web1', []), { code: 1, problems: ['a/failing'], resolved: [] });
  assert.deepEqual(await look('web2', ['--dry-run']), { code: 0, problems: [], resolved: [] });
  // Looking wrote nothing: the sweep log is web3's sweep, and the fleet sweep after it has nothing new to say
  // (web3's sweep reported a and b already) and resolves nothing (a is still failing on web1).
  assert.equal(JSON.parse((await on('central', ['status', '--json'])).out).lastSweepAt, sweptAt);
  const fleet = await on('web2', ['sweep', '--json', '--crontab', '/dev/null']);
  assert.deepEqual([fleet.code, (JSON.parse(fleet.out) as SweepJson).problems, (JSON.parse(fleet.out) as SweepJson).resolved], [0, [], []], fleet.stderr);
  // The host's own part, from itself: its crontab as just read.
  const own = await on('web3', ['sweep', '--json', '--crontab', web3Crontab, '--at', later, '--host', 'web3']);
  assert.deepEqual((JSON.parse(own.out) as SweepJson).problems.map((p) => `${p.job}/${p.kind}`).sort(), ['b/failing', 'minutely/overdue']);
});

test('a look (sweep --all, --dry-run) writes nothing, so a row a sweep or a person holds locked never holds it up', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  const crontab = join(dir, 'locked.crontab');
  writeFileSync(crontab, `* * * * * ${BIN} --name every-minute -- true\n`);
  ok(await cronguard(['--name', 'warm', '--', 'true'], { env: env(db, 'w1') }));
  const swept = await cronguard(['sweep', '--crontab', crontab], { env: env(db, 'w1') });
  assert.ok(swept.code === 0 || swept.code === 1, swept.stderr);
  const sql = pg.admin(new URL(db).pathname.slice(1));
  let unlock = () => {};
  const unlocked = new Promise<void>((resolve) => { unlock = resolve; });
  const held = sql.begin(async (tx) => {
    await tx`SELECT * FROM crontab_jobs WHERE host = 'w1' FOR UPDATE`;
    await unlocked;
  });
  try {
    for (const flag of ['--all', '--dry-run']) {
      const r = await cronguard(['sweep', flag, '--json', '--crontab', crontab], { env: env(db, 'w1'), limitMs: 60_000 });
      assert.ok(r.code === 0 || r.code === 1, `${flag}: ${r.code} ${r.stderr}`);
      assert.equal(r.stderr, '');
      assert.ok(JSON.parse(r.out), flag);
    }
  } finally {
    unlock();
    await held;
    await sql.end();
  }
});

test('--once with --overlap skip across hosts: a live run on another host (by its heartbeat) keeps the start unclaimed', { skip: missing ?? false }, async () => {
  const db = await pg.createDatabase();
  const { gate } = await import('../helpers/gate.ts');
  ok(await cronguard(['--name', 'warm', '--', 'true'], { env: env(db, 'h0') })); // the schema
  const held = gate(dir);
  const holder = cronguard(['--name', 'nightly', '--heartbeat', '1s', '--', ...held.argv], { env: env(db, 'h1'), limitMs: 120_000 });
  const sql = pg.admin(new URL(db).pathname.slice(1));
  await waitFor(async () => (await sql`SELECT 1 FROM runs WHERE job = 'nightly' AND status = 'running'`).length === 1, 60_000, 'the run on h1');
  const once = (host: string) => cronguard(['--once', '--overlap', 'skip', '--schedule', '0 0 1 1 *', '--tz', 'UTC', '--name', 'nightly', '--', 'true'], { env: env(db, host) });
  const skipped = await once('h2');
  assert.deepEqual([skipped.code, skipped.out, skipped.stderr], [0, '', '']);
  held.open();
  ok(await holder);
  ok(await once('h3'));
  ok(await once('h2'));
  const rows = await sql<Array<{ host: string; status: string; reason: string | null }>>`SELECT host, status, reason FROM runs WHERE job = 'nightly' ORDER BY started_at`;
  assert.deepEqual(rows.map((r) => [r.host, r.status]), [['h1', 'success'], ['h2', 'skipped'], ['h3', 'success'], ['h2', 'skipped']]);
  assert.match(rows[1]?.reason ?? '', /^run \S+ of nightly \(host h1\) is still running$/);
  assert.match(rows[3]?.reason ?? '', /claimed by host h3 /);
});
