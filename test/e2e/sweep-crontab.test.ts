import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { BIN, cronEnv, cronguard, cronguardJson, fixture, tempDir } from '../helpers/cli.ts';

interface P { job: string; kind: string; since: string; runId: string | null; message: string }
interface StatusJson { lastSweepAt: string | null; jobs: Array<Record<string, unknown>> }

const dir = tempDir();
/** A sweep reading `crontab` with the test clock at `at` (it records its state), as JSON, with exit code and stderr. */
async function sweep(db: string, crontab: string, at: string, cron = 'cronie'): Promise<{ code: number | null; problems: P[]; stderr: string }> {
  const r = await cronguard(['sweep', '--json', '--cron', cron, '--crontab', crontab, '--db', db], { env: cronEnv({ CRONGUARD_TEST_NOW: at }) });
  return { code: r.code, problems: (JSON.parse(r.out) as { problems: P[] }).problems, stderr: r.stderr };
}

test('overdue via --crontab FILE: first expected start after it was first seen, in its CRON_TZ', async () => {
  const db = join(dir, 'crontab.db');
  const crontab = join(dir, 'crontab');
  writeFileSync(crontab, `MAILTO=root\nCRON_TZ=Europe/Berlin\n0 3 * * *  cd /srv && ${BIN} --name berlin-nightly -- /bin/true\n`);
  assert.deepEqual(await sweep(db, crontab, '2026-03-01T12:00:00Z'), { code: 0, problems: [], stderr: '' });
  assert.equal((await sweep(db, crontab, '2026-03-02T02:04:00Z')).code, 0); // 03:04 in Berlin: within grace
  const late = await sweep(db, crontab, '2026-03-02T02:06:00Z');
  assert.equal(late.code, 1);
  assert.deepEqual(late.problems.map((p) => [p.job, p.kind, p.since]), [['berlin-nightly', 'overdue', '2026-03-02T02:00:00.000Z']]);
  assert.match(late.problems[0]?.message ?? '', /2026-03-02 03:00 Europe\/Berlin .*crontab:3/);
});

test('an /etc/crontab-style file with a user column', async () => {
  const db = join(dir, 'system.db');
  // The lines of the user running the sweep are the ones that record into its database (root or not).
  const me = userInfo().username;
  const crontab = join(dir, 'etc-crontab');
  writeFileSync(crontab, `SHELL=/bin/sh\nPATH=${dirname(BIN)}:/usr/bin:/bin\n# m h dom mon dow user command\n17 * * * * ${me} cd / && run-parts --report /etc/cron.hourly\n0 4 * * * ${me} nice -n 10 cronguard --name sysjob -- /usr/local/bin/backup\n`);
  assert.equal((await sweep(db, crontab, '2026-06-01T12:00:00Z')).code, 0);
  const late = await sweep(db, crontab, '2026-06-02T04:06:00Z');
  assert.deepEqual([late.code, late.problems.map((p) => [p.job, p.kind, p.since])], [1, [['sysjob', 'overdue', '2026-06-02T04:00:00.000Z']]]);
});

test('a crontab with garbage lines: each reported once with file:line, the good line still watched', async () => {
  const db = join(dir, 'garbage.db');
  const crontab = fixture('crontab-garbage');
  const first = await sweep(db, crontab, '2026-06-01T00:00:00Z');
  assert.equal(first.code, 1, 'new warnings are news');
  assert.deepEqual(first.problems, []);
  for (const line of [1, 2, 3, 4, 5, 6, 7, 8, 10]) assert.match(first.stderr, new RegExp(`^cronguard: ${crontab}:${line}: `, 'm'));
  assert.doesNotMatch(first.stderr, /internal error|\x1b/);
  const second = await sweep(db, crontab, '2026-06-01T00:30:00Z');
  assert.deepEqual([second.code, second.stderr], [0, '']);
  const late = await sweep(db, crontab, '2026-06-01T02:06:00Z');
  assert.deepEqual(late.problems.map((p) => [p.job, p.kind]), [['survivor', 'overdue']]);
});

test('status --json: one line per job from runs and crontabs, in the SPEC §6 shape', async () => {
  const db = join(dir, 'status.db');
  const none = await cronguardJson<StatusJson>(['status', '--json'], join(dir, 'no-such.db'));
  assert.deepEqual(none, { lastSweepAt: null, jobs: [] });
  const run = (name: string, code: string, ...extra: string[]) => cronguard(['--name', name, ...extra, '--db', db, '--', fixture('exit-n.sh'), code]);
  await run('alpha', '2', '--schedule', '*/5 * * * *', '--tz', 'America/New_York');
  await run('alpha', '2');
  await run('beta', '0');
  const crontab = join(dir, 'status-crontab');
  writeFileSync(crontab, '@reboot cronguard --name gamma -- /bin/true\n');
  const swept = await cronguard(['sweep', '--crontab', crontab, '--db', db]);
  assert.notEqual(swept.code, 125, swept.stderr);

  const status = await cronguardJson<StatusJson>(['status', '--json'], db);
  assert.deepEqual(Object.keys(status), ['lastSweepAt', 'jobs']);
  assert.ok(status.lastSweepAt && Date.now() - Date.parse(status.lastSweepAt) < 120_000);
  assert.deepEqual(status.jobs.map((j) => j['job']), ['alpha', 'beta', 'gamma']);
  for (const j of status.jobs) {
    assert.deepEqual(Object.keys(j), ['job', 'schedule', 'tz', 'lastStatus', 'lastStartedAt', 'lastDurationMs', 'nextExpectedAt', 'failureStreak', 'lastHost']);
  }
  const [alpha, beta, gamma] = status.jobs as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
  assert.deepEqual([alpha['schedule'], alpha['tz'], alpha['lastStatus'], alpha['failureStreak']], ['*/5 * * * *', 'America/New_York', 'failed', 2]);
  const next = Date.parse(alpha['nextExpectedAt'] as string);
  assert.ok(next > Date.now() - 60_000 && next <= Date.now() + 5 * 60_000 && next % 300_000 === 0, String(alpha['nextExpectedAt']));
  assert.equal(typeof alpha['lastDurationMs'], 'number');
  assert.deepEqual([beta['schedule'], beta['lastStatus'], beta['failureStreak'], beta['nextExpectedAt']], [null, 'success', 0, null]);
  assert.deepEqual([gamma['schedule'], gamma['lastStatus'], gamma['lastStartedAt'], gamma['nextExpectedAt'], gamma['failureStreak'], gamma['lastHost']], ['@reboot', null, null, null, 0, null]);
  assert.equal(alpha['lastHost'], (await cronguardJson<Array<{ host: string }>>(['history', 'alpha', '--json'], db))[0]?.host, 'the host of its latest run');

  const human = await cronguard(['status', '--db', db], { env: { ...process.env, NO_COLOR: '1' } });
  assert.equal(human.code, 0);
  assert.match(human.out, /^alpha +[sF]+ +[▁▂▃▄▅▆▇█]+ +\*\/5 \* \* \* \* +failed .* America\/New_York +2$/m);
  assert.match(human.out, /^last sweep: /m);
});
