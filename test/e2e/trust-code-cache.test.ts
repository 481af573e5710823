import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { test } from 'node:test';
import { Script } from 'node:vm';
import { ROOT, tempDir } from '../helpers/cli.ts';

// SPEC §9: V8 runs whatever a code cache holds when the source has the same length, so a cache another
// user could write is never loaded, and the launcher never writes one through a symbolic link.
const dir = tempDir();

/** A copy of the installed package (launcher and bundle) whose cache the test may plant. */
function installCopy(name: string): { bin: string; bundle: string; cache: string } {
  const pkg = join(dir, name);
  mkdirSync(join(pkg, 'bin'), { recursive: true });
  mkdirSync(join(pkg, 'dist'));
  copyFileSync(join(ROOT, 'bin', 'cronguard'), join(pkg, 'bin', 'cronguard'));
  copyFileSync(join(ROOT, 'bin', 'package.json'), join(pkg, 'bin', 'package.json'));
  copyFileSync(join(ROOT, 'dist', 'cronguard.cjs'), join(pkg, 'dist', 'cronguard.cjs'));
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  chmodSync(join(pkg, 'dist'), 0o755);
  return { bin: join(pkg, 'bin', 'cronguard'), bundle: join(pkg, 'dist', 'cronguard.cjs'), cache: join(pkg, 'dist', 'cronguard.cjs.cache') };
}

/** Runs the copy's launcher. */
const launch = (bin: string, ...args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', CRONGUARD_DB: join(dir, 'cg.db') } });

/**
 * A cache compiled from another source of the bundle's very length (it prints PLANTED), behind the
 * stamp the launcher wrote for the real bundle: all an attacker who can write the file needs.
 */
function plantedCache(bundle: string, cache: string): Buffer {
  const real = readFileSync(bundle, 'utf8');
  const stamp = readFileSync(cache).subarray(0, readFileSync(cache).indexOf(0x0a) + 1);
  const evil = 'process.stdout.write("PLANTED\\n"); process.exit(0);';
  const padded = `${evil}//${' '.repeat(real.length - evil.length - 2)}`;
  assert.equal(padded.length, real.length);
  const script = new Script((Module as unknown as { wrap(source: string): string }).wrap(padded), { filename: bundle });
  return Buffer.concat([stamp, script.createCachedData()]);
}

test('a planted code cache (other source, same length) is never run when others can write it or another user owns it', () => {
  const { bin, bundle, cache } = installCopy('pkg');
  assert.equal(launch(bin, '--', 'true').status, 0);
  assert.ok(existsSync(cache), 'a run wrote the cache');
  assert.equal(statSync(cache).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(join(dir, 'pkg', 'dist')).filter((n) => n.endsWith('.tmp')), [], 'no temporary file left');
  const planted = plantedCache(bundle, cache);

  writeFileSync(cache, planted);
  chmodSync(cache, 0o666);
  const worldWritable = launch(bin, '--version');
  assert.equal(worldWritable.stdout, '0.1.0\n', 'a world-writable cache is not loaded');

  if (process.geteuid?.() === 0) {
    writeFileSync(cache, planted);
    chmodSync(cache, 0o644);
    chownSync(cache, 54_321, 54_321);
    assert.equal(launch(bin, '--version').stdout, '0.1.0\n', 'a cache of another user is not loaded');
    // The control: the same file, owned by the bundle's owner and writable only by it, is trusted (and
    // V8 runs it). That is why the two checks above are what keep a planted cache from running.
    rmSync(cache);
    writeFileSync(cache, planted, { mode: 0o644 });
    assert.equal(launch(bin, '--version').stdout, 'PLANTED\n', 'the planted cache would run if trusted');
  }
});

test('the launcher neither reads nor writes a cache through a symbolic link, and writes none into a directory others can write', () => {
  const { bin, cache } = installCopy('pkg-link');
  const victim = join(dir, 'victim');
  writeFileSync(victim, 'victim\n', { mode: 0o600 });
  symlinkSync(victim, cache);
  assert.equal(launch(bin, '--', 'true').status, 0);
  assert.equal(readFileSync(victim, 'utf8'), 'victim\n', 'the target of the link is untouched');
  assert.ok(lstatSync(cache).isFile(), 'the link was replaced by a real cache, by rename');

  const open = installCopy('pkg-open');
  chmodSync(join(dir, 'pkg-open', 'dist'), 0o777);
  assert.equal(launch(open.bin, '--', 'true').status, 0);
  assert.equal(existsSync(open.cache), false, 'no cache written where others can write');
  chmodSync(join(dir, 'pkg-open', 'dist'), 0o755);
});

test('a cache written for another build of the bundle (same length, rewritten in place) is never run', () => {
  const { bin, bundle, cache } = installCopy('pkg-rebuilt');
  assert.equal(launch(bin, '--', 'true').status, 0);
  assert.ok(existsSync(cache), 'a run wrote the cache');
  assert.equal(launch(bin, '--version').stdout, '0.1.0\n');
  // Another build: the same bytes but the version, the same length, the same file (inode) rewritten.
  const rebuilt = readFileSync(bundle, 'utf8').replaceAll('0.1.0', '9.9.9');
  assert.equal(rebuilt.length, readFileSync(bundle, 'utf8').length);
  writeFileSync(bundle, rebuilt);
  assert.equal(launch(bin, '--version').stdout, '9.9.9\n', 'the old build\'s cached code did not run');
  // And a run writes the cache afresh for this build, which then loads it.
  assert.equal(launch(bin, '--', 'true').status, 0);
  assert.equal(launch(bin, '--version').stdout, '9.9.9\n');
});

test('each command keeps a cache of its own, trusted as the run\'s is, written only by a run of it that completes', () => {
  const { bin, bundle, cache } = installCopy('pkg-commands');
  assert.equal(launch(bin, '--', 'true').status, 0);
  const runCache = readFileSync(cache);
  const statusCache = join(dir, 'pkg-commands', 'dist', 'cronguard.cjs.status.cache');
  assert.equal(launch(bin, 'status', '--bogus').status, 125);
  assert.equal(existsSync(statusCache), false, 'a status stopped by bad input wrote no cache');
  const status = launch(bin, 'status');
  assert.equal(status.status, 0, status.stderr);
  assert.ok(existsSync(statusCache), 'the first status that completed wrote its cache');
  assert.equal(statSync(statusCache).mode & 0o777, 0o644);
  assert.ok(statSync(statusCache).size < runCache.length, 'it holds status\'s code, not the run\'s as well');
  assert.deepEqual(readFileSync(cache), runCache, 'the run\'s cache is left as it was');
  assert.equal(launch(bin, 'status').stdout, status.stdout, 'and the next status reads it');

  const planted = plantedCache(bundle, statusCache);
  writeFileSync(statusCache, planted);
  chmodSync(statusCache, 0o666);
  assert.equal(launch(bin, 'status').stdout, status.stdout, 'a status cache others can write is not loaded');
  if (process.geteuid?.() === 0) {
    writeFileSync(statusCache, planted);
    chmodSync(statusCache, 0o644);
    chownSync(statusCache, 54_321, 54_321);
    assert.equal(launch(bin, 'status').stdout, status.stdout, 'a status cache of another user is not loaded');
    rmSync(statusCache);
    writeFileSync(statusCache, planted, { mode: 0o644 });
    assert.equal(launch(bin, 'status').stdout, 'PLANTED\n', 'the control: the planted cache would run if trusted');
  }

  // Where it may not write, a command starts from the run's cache and writes none.
  const open = installCopy('pkg-commands-open');
  assert.equal(launch(open.bin, '--', 'true').status, 0);
  chmodSync(join(dir, 'pkg-commands-open', 'dist'), 0o777);
  assert.equal(launch(open.bin, 'history').status, 0);
  assert.deepEqual(readdirSync(join(dir, 'pkg-commands-open', 'dist')).filter((n) => n.endsWith('.cache')), ['cronguard.cjs.cache']);
  chmodSync(join(dir, 'pkg-commands-open', 'dist'), 0o755);
});
