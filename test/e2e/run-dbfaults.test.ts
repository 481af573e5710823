import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cronguard, cronguardJson, ROOT, tempDir } from '../helpers/cli.ts';
import { holdExclusiveLock } from '../helpers/db.ts';

const dir = tempDir();
const job = (db: string, name: string, code: number) =>
  cronguard(['--db', db, '--name', name, '--', 'sh', '-c', `echo output of ${name}; exit ${code}`], { limitMs: 60_000 });

/** The job ran as it would have: its code, its report on stdout, one warning line on stderr. */
function assertJobRan(r: Awaited<ReturnType<typeof job>>, name: string, code: number, warning: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  if (code !== 0) assert.match(r.out, new RegExp(`output of ${name}`));
  else assert.equal(r.out, '');
  const lines = r.stderr.trimEnd().split('\n').filter((l) => l.startsWith('cronguard: '));
  assert.ok(lines.length >= 1, r.stderr);
  assert.match(lines[0] ?? '', warning);
}

/** Every job name in the database, oldest first; each must appear exactly once. */
async function recordedJobs(db: string): Promise<string[]> {
  const runs = await cronguardJson<Array<{ job: string }>>(['history', '--json', '--limit', '1000'], db);
  return runs.map((r) => r.job).reverse();
}

test('parent path is a regular file: the job runs, the record goes to stderr as one JSON line', async () => {
  writeFileSync(join(dir, 'plain-file'), 'x');
  const r = await job(join(dir, 'plain-file', 'cg.db'), 'nodir', 3);
  assertJobRan(r, 'nodir', 3, /cannot use the database .*plain-file\/cg\.db/);
  const json = r.stderr.split('\n').find((l) => l.startsWith('{'));
  const record = JSON.parse(json ?? 'null') as { run: { job: string; status: string; attempts: Array<{ output: string }> } };
  assert.equal(record.run.job, 'nodir');
  assert.equal(record.run.status, 'failed');
  assert.equal(Buffer.from(record.run.attempts[0]?.output ?? '', 'base64').toString(), 'output of nodir\n');
});

test('a file that is not a database: the job runs, the record is spooled (0600), then ingested exactly once', async () => {
  const db = join(dir, 'garbage.db');
  writeFileSync(db, 'this is not a database '.repeat(200));
  assertJobRan(await job(db, 'g1', 0), 'g1', 0, /cannot use the database .*garbage\.db/);
  assertJobRan(await job(db, 'g2', 4), 'g2', 4, /cannot use the database/);
  assert.equal(statSync(`${db}.spool`).mode & 0o777, 0o600);
  assert.equal(readFileSync(`${db}.spool`, 'utf8').split('\n').filter((l) => l !== '').length, 2);
  rmSync(db);
  const next = await job(db, 'g3', 0);
  assert.equal(next.stderr, '');
  assert.equal(existsSync(`${db}.spool`), false, 'the spool is removed once ingested');
  assert.deepEqual(await recordedJobs(db), ['g1', 'g2', 'g3']);
  await job(db, 'g4', 0);
  assert.deepEqual(await recordedJobs(db), ['g1', 'g2', 'g3', 'g4'], 'nothing ingested twice');
});

test('overlap protection without a database falls back to allow, with a warning', async () => {
  const db = join(dir, 'garbage-overlap.db');
  writeFileSync(db, 'garbage '.repeat(1000));
  const r = await cronguard(['--db', db, '--name', 'ov', '--overlap', 'skip', '--', 'sh', '-c', 'echo ran; exit 3']);
  assert.equal(r.code, 3);
  assert.match(r.out, /ran/);
  assert.match(r.stderr, /--overlap skip acts as allow/);
});

test('a schema newer than this cronguard: the job runs and the record is spooled', async () => {
  const db = join(dir, 'future.db');
  await job(db, 'f0', 0);
  execFileSync(process.execPath, ['-e', `const D=require('better-sqlite3'); new D(${JSON.stringify(db)}).pragma('user_version = 999')`], { cwd: ROOT });
  const r = await job(db, 'f1', 2);
  assertJobRan(r, 'f1', 2, /schema version 999 is newer/);
  assert.ok(existsSync(`${db}.spool`));
});

test('a database locked past the busy timeout: the job runs, the record is spooled, then ingested', async () => {
  const db = join(dir, 'locked.db');
  await job(db, 'l0', 0);
  const release = await holdExclusiveLock(db);
  let r;
  try {
    r = await job(db, 'l1', 5);
  } finally {
    await release();
  }
  assertJobRan(r, 'l1', 5, /cannot write to the database .*locked/);
  await job(db, 'l2', 0);
  assert.deepEqual(await recordedJobs(db), ['l0', 'l1', 'l2']);
});

/** Mounts a small tmpfs (root only); null where the machine does not allow it. */
function smallFs(name: string, size: string): string | null {
  const mnt = join(dir, name);
  mkdirSync(mnt);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', mnt], { stdio: 'ignore' });
  } catch {
    return null;
  }
  after(() => { try { execFileSync('umount', ['-l', mnt], { stdio: 'ignore' }); } catch { /* already gone */ } });
  return mnt;
}

test('a read-only file system: the job runs, the record goes to stderr', async (t) => {
  const mnt = smallFs('ro', '1m');
  if (!mnt) return t.skip('cannot mount a tmpfs here (not root?)');
  const db = join(mnt, 'cg.db');
  await job(db, 'r0', 0);
  execFileSync('mount', ['-o', 'remount,ro', mnt]);
  const r = await job(db, 'r1', 6);
  assertJobRan(r, 'r1', 6, /cannot use the database .*(read-only|EROFS)/i);
  assert.ok(r.stderr.split('\n').some((l) => l.startsWith('{"v":1')), 'the record on stderr');
});

test('a full disk: the job runs with its output, and no record is lost', async (t) => {
  const mnt = smallFs('full', '512k');
  if (!mnt) return t.skip('cannot mount a tmpfs here (not root?)');
  const db = join(mnt, 'cg.db');
  await job(db, 'd0', 0);
  try {
    execFileSync('dd', ['if=/dev/zero', `of=${join(mnt, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
  } catch {
    // dd stops with ENOSPC: the disk is now full.
  }
  const r = await cronguard(['--db', db, '--name', 'd1', '--', 'sh', '-c', 'head -c 300000 /dev/urandom | base64; exit 7'], { limitMs: 60_000 });
  assert.equal(r.code, 7);
  assert.match(r.stderr, /^cronguard: cannot (use|write to) the database/m);
  const onStderr = r.stderr.split('\n').some((l) => l.startsWith('{"v":1'));
  assert.ok(onStderr || existsSync(`${db}.spool`), 'the record is spooled or printed');
  rmSync(join(mnt, 'filler'));
  if (!onStderr) {
    await job(db, 'd2', 0);
    assert.deepEqual(await recordedJobs(db), ['d0', 'd1', 'd2']);
  }
});

test('an error thrown from a timer of ours while the job runs is one warning: the job finishes, keeps its code and its record', async () => {
  const db = join(dir, 'stray.db');
  const r = await cronguard(['--db', db, '--name', 'stray', '--', 'sh', '-c', 'sleep 0.3; echo output of stray; exit 7'],
    { env: { ...process.env, CRONGUARD_TEST_FAULT: 'run-stray-error' }, limitMs: 60_000 });
  assert.equal(r.code, 7, r.stderr);
  assert.match(r.out, /output of stray/);
  assert.match(r.stderr, /^cronguard: internal error while the job ran: .*injected fault: run-stray-error.*; the job goes on and keeps its exit code$/m);
  const [run] = await cronguardJson<Array<{ status: string; exitCode: number }>>(['history', 'stray', '--json'], db);
  assert.deepEqual([run?.status, run?.exitCode], ['failed', 7]);
});
