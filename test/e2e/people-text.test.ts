// What a person reads: local time with its offset everywhere (JSON stays UTC), timeouts that name their
// limit, exit codes as cron saw them, one honest line when the database and the spool both fail.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronEnv, cronguard, cronguardJson, tempDir } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
// A zone without daylight saving, so the expected offset holds on any date.
const env = cronEnv({ TZ: 'Asia/Kolkata' });
const local = (iso: string): string => `${new Date(Date.parse(iso) + 330 * 60_000).toISOString().replace('T', ' ').slice(0, 19)} +05:30`;

interface RunJson { id: string; job: string; status: string; startedAt: string; endedAt: string }

test('a timeout: the report names the limit and shows local time; history, show and sweep agree', async () => {
  const r = await cronguard(['--db', db, '--name', 'nc-slow', '--timeout', '1s', '--kill-after', '1s', '--', 'sleep', '30'], { env });
  assert.equal(r.code, 124);
  const [run] = await cronguardJson<RunJson[]>(['history', 'nc-slow', '--json'], db, { env });
  assert.ok(run);
  assert.match(run.startedAt, /Z$/, 'JSON stays UTC');
  const lines = r.out.split('\n');
  assert.equal(lines[0], 'cronguard: job nc-slow timeout (SIGTERM): timed out after 1s (--timeout 1s)');
  assert.ok(lines.includes(`  started   ${local(run.startedAt)}`), r.out);

  const history = await cronguard(['history', 'nc-slow', '--db', db], { env });
  const row = history.out.split('\n')[1] ?? '';
  assert.ok(row.startsWith(local(run.startedAt)), history.out);
  assert.match(row, / 124 \(SIGTERM\) /, 'EXIT is the code cron saw, with the signal');

  const show = await cronguard(['show', run.id, '--db', db], { env });
  assert.ok(show.out.includes(`\nstarted   ${local(run.startedAt)}\n`), show.out);
  assert.match(show.out, /^timeout +1s, then SIGKILL after 1s$/m);
  assert.match(show.out, /^status +timeout \(SIGTERM\): timed out after 1s \(--timeout 1s\)$/m);

  const sweep = await cronguard(['sweep', '--all', '--crontab', '/dev/null', '--db', db], { env });
  assert.equal(sweep.code, 1, sweep.stderr);
  assert.ok(sweep.out.includes(`ended timeout (SIGTERM) at ${local(run.endedAt)}`), sweep.out);
  assert.doesNotMatch(sweep.out, /\d{4}-\d\d-\d\dT\d\d:\d\d/, 'no UTC ISO stamp in what a person reads');
  const json = await cronguardJson<{ problems: Array<{ since: string }> }>(['sweep', '--all', '--json', '--crontab', '/dev/null'], db, { env }).catch(() => null);
  if (json) for (const p of json.problems) assert.match(p.since, /Z$/);
});

test('stats: all and none are whole percentages, anything between has one decimal', async () => {
  const statsDb = join(dir, 'stats.db');
  for (const [name, code] of [['all-bad', 1], ['all-bad', 1], ['all-good', 0], ['half', 0], ['half', 1]] as const) {
    await cronguard(['--db', statsDb, '--name', name, '--', 'sh', '-c', `exit ${code}`], { env });
  }
  const out = (await cronguard(['stats', '--db', statsDb], { env })).out;
  assert.match(out, /^all-bad +2 +0 +0% /m);
  assert.match(out, /^all-good +1 +1 +100% /m);
  assert.match(out, /^half +2 +1 +50\.0% /m);
});

test('--tee: a failure\'s output reaches the mail once', async () => {
  const r = await cronguard(['--db', db, '--tee', '--', 'sh', '-c', 'echo "$((6 * 7))-printed"; exit 2'], { env });
  assert.equal(r.code, 2);
  assert.equal(r.out.split('42-printed').length - 1, 1, r.out);
  assert.match(r.out, /output +shown above as it came \(--tee\)/);
});

test('the database fails: one cronguard line that says where the record went', async () => {
  const garbage = join(dir, 'garbage.db');
  writeFileSync(garbage, 'this is not a database, just text that is long enough to have a header\n'.repeat(20));
  const spooled = await cronguard(['--db', garbage, '--', 'sh', '-c', 'exit 3'], { env });
  assert.equal(spooled.code, 3);
  const spooledLines = spooled.stderr.trimEnd().split('\n');
  assert.equal(spooledLines.length, 1, spooled.stderr);
  assert.match(spooledLines[0] ?? '', /^cronguard: cannot use the database .*garbage\.db: .*; the job ran anyway and its record is spooled beside the database$/);

  writeFileSync(join(dir, 'plain-file'), 'x');
  const printed = await cronguard(['--db', join(dir, 'plain-file', 'cg.db'), '--', 'sh', '-c', 'exit 4'], { env });
  assert.equal(printed.code, 4);
  const lines = printed.stderr.trimEnd().split('\n');
  assert.equal(lines.filter((l) => l.startsWith('cronguard:')).length, 1, printed.stderr);
  assert.match(lines[0] ?? '', /^cronguard: cannot use the database .*, nor spool the record beside it \(.*\); the job ran anyway and its record follows as one JSON line$/);
  assert.doesNotMatch(printed.stderr, /is spooled/);
  assert.match(lines[1] ?? '', /^\{"v":1/);
});
