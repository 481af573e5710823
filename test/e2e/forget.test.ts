import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, cronguardJson, fixture, tempDir } from '../helpers/cli.ts';
import { recordedRuns } from '../helpers/store.ts';

const dir = tempDir();
interface Sweep { problems: Array<{ job: string; kind: string }> }
interface StatusJson { jobs: Array<{ job: string }> }

test('forget JOB: its runs, problems and crontab lines go (a dry run says so first); a look-alike is suggested for an unknown name', async () => {
  const db = join(dir, 'forget.db');
  const crontab = join(dir, 'crontab');
  await cronguard(['--name', 'nightly-backup', '--db', db, '--', fixture('exit-n.sh'), '3']);
  await cronguard(['--name', 'other', '--db', db, '--', fixture('exit-n.sh'), '3']);
  const first = await cronguardJson<Sweep>(['sweep', '--json', '--crontab', '/dev/null'], db).catch(() => null);
  assert.equal(first, null, 'news: exit 1');
  const all = await cronguard(['sweep', '--all', '--json', '--crontab', '/dev/null', '--db', db]);
  assert.deepEqual((JSON.parse(all.out) as Sweep).problems.map((p) => p.job), ['nightly-backup', 'other']);

  const typo = await cronguard(['forget', 'nightly-bakup', '--db', db]);
  assert.equal(typo.code, 125);
  assert.match(typo.stderr, /^cronguard: no job named "nightly-bakup" in .*forget\.db; did you mean nightly-backup\?\n$/);
  const none = await cronguard(['forget', 'nightly-backup', '--db', join(dir, 'no-such.db')]);
  assert.equal(none.code, 125);
  assert.match(none.stderr, /no job named "nightly-backup": nothing is recorded in/);

  const dry = await cronguard(['forget', 'nightly-backup', '--dry-run', '--db', db]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.out, /^would forget job "nightly-backup": 1 run \(1 attempt, .* of kept output\), 1 open problem, what its runs recorded of it \(name, --schedule\)\n$/);
  assert.equal((await recordedRuns(db, { job: 'nightly-backup' })).length, 1, 'a dry run removes nothing');

  const done = await cronguard(['forget', 'nightly-backup', '--db', db]);
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.out, /^forgot job "nightly-backup": 1 run/);
  assert.deepEqual(await recordedRuns(db, { job: 'nightly-backup' }), []);
  assert.deepEqual((await cronguardJson<StatusJson>(['status', '--json'], db)).jobs.map((j) => j.job), ['other']);
  const after = await cronguard(['sweep', '--all', '--json', '--crontab', '/dev/null', '--db', db]);
  assert.deepEqual((JSON.parse(after.out) as Sweep).problems.map((p) => p.job), ['other'], 'no alarm for a forgotten job');
  assert.equal((await cronguard(['forget', 'nightly-backup', '--db', db])).code, 125, 'gone for good');
});

test('forget refuses a job with a run still running', async () => {
  const db = join(dir, 'busy.db');
  let pid = 0;
  const running = cronguard(['--name', 'busy', '--timeout', '30s', '--db', db, '--', fixture('sleep-forever.sh')], { onSpawn: (p) => { pid = p; } });
  const until = Date.now() + 20_000;
  while ((await recordedRuns(db, { job: 'busy' }).catch(() => [])).length === 0 && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  try {
    const refused = await cronguard(['forget', 'busy', '--db', db]);
    assert.equal(refused.code, 125);
    assert.match(refused.stderr, /^cronguard: job "busy" has a run still running \(.+\): forget it once that run has ended/);
  } finally {
    process.kill(pid, 'SIGTERM');
    await running;
  }
  assert.equal((await recordedRuns(db, { job: 'busy' }))[0]?.status, 'killed');
  assert.equal((await cronguard(['forget', 'busy', '--db', db])).code, 0);
});
