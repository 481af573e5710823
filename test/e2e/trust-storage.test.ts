import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, type TestContext } from 'node:test';
import { BIN, cronEnv, cronguard, tempDir } from '../helpers/cli.ts';

// SPEC §9: cronguard writes its database, spool and claims only inside a directory that belongs to the
// effective user (or root) and that no one else can write, never through a symbolic link; otherwise the
// database counts as unavailable: the job runs, one warning says why, the record goes to stderr.
const dir = tempDir();
const isRoot = process.getuid?.() === 0;

/** A throwaway system user for this test file, removed when the test ends. */
function throwawayUser(t: TestContext): { name: string; uid: number; gid: number } {
  const name = `cg10u${process.pid}${Math.floor(Math.random() * 1e4)}`;
  const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  t.after(() => { spawnSync('userdel', [name]); });
  const id = (flag: string) => Number(spawnSync('id', [flag, name], { encoding: 'utf8' }).stdout.trim());
  return { name, uid: id('-u'), gid: id('-g') };
}

/** A root-owned file with `text`, a target someone would like cronguard to write into. */
function victim(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

/** A failing job against `db`: its exit code must come through whatever the database's trouble. */
const job = (db: string) => cronguard(['--db', db, '--name', 'guarded', '--', 'sh', '-c', 'echo out; exit 3'], { env: cronEnv() });

/** The record the run printed on stderr as one JSON line, or undefined. */
const recordOnStderr = (stderr: string) => stderr.split('\n').find((l) => l.startsWith('{') && l.includes('"guarded"'));

test('a symlinked database and spool in a directory another user owns leave their targets untouched; the job runs, exit code unchanged', async (t) => {
  if (!isRoot) return t.skip('needs root (CI runs as root)');
  const user = throwawayUser(t);
  const theirs = join(dir, 'theirs');
  mkdirSync(theirs, { mode: 0o755 });
  chownSync(theirs, user.uid, user.gid);
  const empty = victim('victim-empty', '');
  const spoolVictim = victim('victim-spool', 'root only\n');
  symlinkSync(empty, join(theirs, 'cg.db'));
  symlinkSync(spoolVictim, join(theirs, 'cg.db.spool'));
  const r = await job(join(theirs, 'cg.db'));
  assert.equal(r.code, 3);
  assert.match(r.out, /echo|out/, 'the command ran and its report was printed');
  const warnings = r.stderr.split('\n').filter((l) => l.startsWith('cronguard:'));
  assert.equal(warnings.length, 1, r.stderr);
  assert.match(warnings[0] ?? '', new RegExp(`directory ${theirs} belongs to uid ${user.uid}, not to you \\(uid 0\\) or root`));
  assert.ok(recordOnStderr(r.stderr), 'the record is on stderr');
  assert.equal(statSync(empty).size, 0, 'the empty target did not become a SQLite file');
  assert.equal(readFileSync(spoolVictim, 'utf8'), 'root only\n', 'nothing was appended to the spool target');
  assert.deepEqual(readdirSync(theirs).sort(), ['cg.db', 'cg.db.spool'], 'nothing was created in their directory');
});

test('in a directory of our own, a symbolic link as the database or the spool is refused, the target untouched', async () => {
  const own = join(dir, 'own');
  mkdirSync(own, { mode: 0o700 });
  const dbVictim = victim('victim-db', 'not a database\n');
  symlinkSync(dbVictim, join(own, 'cg.db'));
  const r = await job(join(own, 'cg.db'));
  assert.equal(r.code, 3);
  assert.match(r.stderr, /cg\.db is a symbolic link; the job ran anyway and its record is spooled/);
  assert.equal(statSync(join(own, 'cg.db.spool')).mode & 0o777, 0o600, 'our own directory still takes the spool');
  assert.equal(readFileSync(dbVictim, 'utf8'), 'not a database\n');

  // A database that cannot be used for another reason (here a directory) must not spool through a link either.
  const other = join(dir, 'own2');
  mkdirSync(join(other, 'cg.db'), { recursive: true, mode: 0o700 });
  const spoolVictim = victim('victim-spool2', 'root only\n');
  symlinkSync(spoolVictim, join(other, 'cg.db.spool'));
  const s = await job(join(other, 'cg.db'));
  assert.equal(s.code, 3);
  assert.match(s.stderr, /nor spool the record beside it \(.*cg\.db\.spool is a symbolic link\)/);
  assert.ok(recordOnStderr(s.stderr));
  assert.equal(readFileSync(spoolVictim, 'utf8'), 'root only\n');
});

test('a directory others can write (even with the sticky bit) is refused; one of ours is used, files 0600', async () => {
  for (const mode of [0o777, 0o1777, 0o770]) {
    const open = join(dir, `open-${mode.toString(8)}`);
    mkdirSync(open);
    chmodSync(open, mode);
    const r = await job(join(open, 'cg.db'));
    assert.equal(r.code, 3);
    assert.match(r.stderr, new RegExp(`directory ${open} is writable by group or others \\(mode ${mode.toString(8).padStart(4, '0')}\\)`));
    assert.deepEqual(readdirSync(open), [], 'nothing written there');
  }
  const fine = join(dir, 'fine', 'nested');
  const r = await job(join(fine, 'cg.db'));
  assert.equal(r.code, 3);
  assert.doesNotMatch(r.stderr, /cronguard:/, r.stderr);
  assert.equal(statSync(fine).mode & 0o777, 0o700);
  assert.equal(statSync(join(fine, 'cg.db')).mode & 0o777, 0o600);
});

test('reading commands say "permission denied" (125) for a database they cannot read, never "no runs recorded"', async (t) => {
  if (!isRoot) return t.skip('needs root (CI runs as root)');
  const user = throwawayUser(t);
  const closed = join(dir, 'closed');
  assert.equal((await job(join(closed, 'cg.db'))).code, 3);
  const readable = join(dir, 'readable');
  assert.equal((await job(join(readable, 'cg.db'))).code, 3);
  chmodSync(readable, 0o755);
  chmodSync(dir, 0o755);
  const asUser = (args: string[]) => spawnSync('setpriv', ['--reuid', String(user.uid), '--regid', String(user.gid), '--clear-groups', '--',
    process.execPath, BIN, ...args], { encoding: 'utf8', env: cronEnv({ HOME: '/nonexistent' }), timeout: 30_000 });
  for (const db of [join(closed, 'cg.db'), join(readable, 'cg.db')]) {
    for (const command of [['history'], ['status'], ['stats']]) {
      const r = asUser([...command, '--db', db]);
      assert.equal(r.status, 125, `${command} ${db}: ${r.stdout}${r.stderr}`);
      assert.match(r.stderr, /permission denied/, r.stderr);
      assert.doesNotMatch(r.stdout, /no runs recorded/);
    }
  }
  assert.ok(existsSync(join(closed, 'cg.db')));
  chmodSync(dir, 0o700);
});
