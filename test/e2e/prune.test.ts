import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { cronguard, cronguardJson, fixture, tempDir, waitFor } from '../helpers/cli.ts';
import { recordedRuns } from '../helpers/store.ts';
import type { RunJson } from '../helpers/forensics.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
const prune = (...args: string[]) => cronguard(['prune', ...args, '--db', db]);
const jobs = async () => (await cronguardJson<RunJson[]>(['history', '--json'], db)).map((r) => `${r.job}:${r.status}`);

before(async () => {
  await cronguard(['--db', db, '--name', 'old', '--', 'sh', '-c', 'echo hello']);
  await cronguard(['--db', db, '--name', 'old', '--', 'sh', '-c', 'echo hello; exit 1']);
  await cronguard(['--db', db, '--name', 'older', '--retries', '1', '--retry-delay', '0', '--', 'sh', '-c', 'echo hello; exit 2']);
});

test('prune deletes finished runs that ended before the cutoff, with attempts and output, never a running one', async () => {
  let livePid = 0;
  const live = cronguard(['--db', db, '--name', 'live', '--', fixture('sleep-forever.sh')], { onSpawn: (pid) => { livePid = pid; } });
  // Whatever fails below, the live job must not outlive the test.
  after(() => { if (livePid) try { process.kill(livePid, 'SIGTERM'); } catch { /* already gone */ } });
  await waitFor(async () => (await recordedRuns(db, { job: 'live', statuses: ['running'] })).length === 1, 15_000, 'the live run');

  const recent = await prune('--older-than', '1h');
  assert.equal(recent.code, 0, recent.stderr);
  assert.match(recent.out, /^deleted 0 runs that ended before /);

  const dry = await prune('--older-than', '0', '--dry-run');
  assert.equal(dry.code, 0, dry.stderr);
  assert.match(dry.out, /^would delete 3 runs \(4 attempts, 24 B of kept output\) that ended before \d{4}-\d\d-\d\d \d\d:\d\d:\d\d [+-]\d\d:\d\d\n$/);
  assert.equal((await jobs()).length, 4, 'a dry run deletes nothing');

  const done = await prune('--older-than', '0');
  assert.equal(done.code, 0, done.stderr);
  assert.match(done.out, /^deleted 3 runs \(4 attempts, 24 B of kept output\)/);
  assert.deepEqual(await jobs(), ['live:running']);

  process.kill(livePid, 'SIGTERM');
  assert.equal((await live).code, 143);
  assert.deepEqual(await jobs(), ['live:killed']);
});

test('--vacuum gives the space back, and the database works on', async () => {
  for (let i = 0; i < 3; i++) await cronguard(['--db', db, '--name', 'bulky', '--', 'sh', '-c', 'head -c 300000 /dev/zero | tr "\\0" x; exit 1']);
  const r = await prune('--older-than', '0', '--vacuum');
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.out, /^deleted 4 runs \(4 attempts, 879 KiB of kept output\) .*\nvacuumed .*cg\.db: [\d.]+ \S+ -> [\d.]+ \S+\n$/);
  const UNIT: Record<string, number> = { B: 1, KiB: 1024, MiB: 1024 ** 2 };
  const [before, after] = [...r.out.matchAll(/([\d.]+) (B|KiB|MiB)\b/g)].slice(-2).map((m) => Number(m[1]) * (UNIT[m[2] as string] ?? NaN));
  assert.ok((after as number) < (before as number) - 500_000, `the file did not shrink: ${r.out}`);
  assert.deepEqual(await jobs(), []);
  await cronguard(['--db', db, '--name', 'after', '--', 'true']);
  assert.deepEqual(await jobs(), ['after:success']);
});

test('wrong or missing --older-than: exit 125; no database: nothing to prune, nothing created', async () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /^cronguard: prune needs --older-than DUR/],
    [['--older-than', 'ages'], /^cronguard: --older-than "ages": expected a duration/],
    [['--older-than', '1d', '--dry-run', '--vacuum'], /exclude each other/],
  ];
  for (const [args, message] of cases) {
    const r = await prune(...args);
    assert.equal(r.code, 125, args.join(' '));
    assert.match(r.stderr, message);
  }
  const missing = join(dir, 'missing.db');
  const r = await cronguard(['prune', '--older-than', '1d', '--db', missing]);
  assert.equal(r.code, 0);
  assert.equal(r.out, `no runs recorded in ${missing}; nothing to prune\n`);
  assert.equal(existsSync(missing), false);
});
