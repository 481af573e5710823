import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from '../helpers/cli.ts';

const work = tempDir('cronguard-install-');
const prefix = join(work, 'prefix');
const launcher = join(prefix, 'bin', 'cronguard');
const crontabFile = join(work, 'crontab.txt');
const fakeBin = join(work, 'fakebin');

// A stand-in `crontab` keeps --with-sweep away from the real crontab of whoever runs the tests.
mkdirSync(fakeBin);
writeFileSync(join(fakeBin, 'crontab'), `#!/bin/sh
case $1 in
  -l) [ -f '${crontabFile}' ] || { echo "no crontab" >&2; exit 1; }; cat '${crontabFile}' ;;
  -) cat > '${crontabFile}' ;;
  *) exit 2 ;;
esac
`);
chmodSync(join(fakeBin, 'crontab'), 0o755);
const env = { ...process.env, PATH: `${fakeBin}:${process.env['PATH'] ?? '/usr/bin:/bin'}` };

/** Runs install.sh from the checkout with some arguments (asynchronously: other tests keep running). */
function installSh(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; out: string; err: string; ms: number }> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('sh', [join(ROOT, 'install.sh'), ...args], { cwd: work, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const limit = setTimeout(() => child.kill('SIGKILL'), 240_000);
    child.on('error', reject);
    child.on('close', (code) => { clearTimeout(limit); resolve({ code, out, err, ms: Date.now() - start }); });
  });
}

/** Every file and symlink under a directory, relative to it, outside the installed node_modules. */
function listing(dir: string): string[] {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) { if (e.name !== 'node_modules') walk(p); } else found.push(relative(dir, p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return found.sort();
}

/** The installed launcher under exactly cron's PATH and nothing else from the environment (env -i). */
function cronLike(args: string[]) {
  return spawnSync(launcher, args, { cwd: work, env: { PATH: '/usr/bin:/bin' }, encoding: 'utf8', timeout: 60_000 });
}

test('install.sh installs, runs under env -i PATH=/usr/bin:/bin, reinstalls idempotently, and uninstalls all of it', { timeout: 600_000 }, async (t) => {
  mkdirSync(join(prefix, 'bin'), { recursive: true });
  writeFileSync(join(prefix, 'bin', 'someone-else'), 'not ours\n');
  writeFileSync(crontabFile, 'MAILTO=ops@example.com\n0 1 * * * /bin/true\n');

  const realCrontab = spawnSync('crontab', ['-l'], { encoding: 'utf8' }).stdout;
  t.after(() => assert.equal(spawnSync('crontab', ['-l'], { encoding: 'utf8' }).stdout, realCrontab, 'the real crontab is untouched'));
  const first = await installSh(['--prefix', prefix, '--with-sweep']);
  assert.equal(first.code, 0, first.err);
  t.diagnostic(`first install took ${first.ms} ms`);
  const files = listing(prefix);
  for (const f of ['bin/cronguard', 'share/man/man1/cronguard.1', 'share/bash-completion/completions/cronguard',
    'share/zsh/site-functions/_cronguard', 'lib/cronguard/package.json', 'lib/cronguard/bin/cronguard']) {
    assert.ok(files.includes(f), `installed ${f}`);
  }
  assert.ok(existsSync(join(prefix, 'lib/cronguard/node_modules/better-sqlite3')), 'production dependencies installed');
  assert.ok(!existsSync(join(prefix, 'lib/cronguard/node_modules/typescript')), 'no dev dependencies');
  assert.equal(statSync(launcher).mode & 0o777, 0o755);
  assert.match(readFileSync(launcher, 'utf8'), /^exec '\/[^']*node' '\/[^']*\/lib\/cronguard\/bin\/cronguard' "\$@"$/m);
  assert.equal(readFileSync(join(prefix, 'share/man/man1/cronguard.1'), 'utf8'), readFileSync(join(ROOT, 'man/cronguard.1'), 'utf8'));
  const sweepLine = `*/30 * * * * ${launcher} sweep`;
  assert.equal(readFileSync(crontabFile, 'utf8'), `MAILTO=ops@example.com\n0 1 * * * /bin/true\n${sweepLine}\n`);

  // A real example under cron's environment: a quiet success, and a timeout that kills a forked sleep.
  const db = join(work, 'cron.db');
  const ok = cronLike(['--db', db, '--name', 'ok', '--', 'sh', '-c', 'echo fine']);
  assert.deepEqual([ok.status, ok.stdout, ok.stderr], [0, '', '']);
  const slow = cronLike(['--db', db, '--name', 'slow', '--timeout', '1s', '--kill-after', '1s', '--', 'sh', '-c', 'echo working; sleep 30 & sleep 30']);
  assert.equal(slow.status, 124, slow.stderr);
  assert.match(slow.stdout, /slow[\s\S]*working/);
  const history = JSON.parse(cronLike(['history', '--json', '--db', db]).stdout) as Array<{ job: string; status: string }>;
  assert.deepEqual(history.map((r) => `${r.job}:${r.status}`).sort(), ['ok:success', 'slow:timeout']);

  // --demo: a job stopped by its timeout, shown from a throwaway database; the user's own is not touched.
  const userDb = join(work, 'users-own.db');
  const second = await installSh(['--prefix', prefix, '--with-sweep', '--demo'], { CRONGUARD_DB: userDb, XDG_STATE_HOME: join(work, 'state') });
  assert.equal(second.code, 0, second.err);
  assert.match(second.out, /demo \(a throwaway database, removed afterwards\)/);
  assert.match(second.out, /cronguard: job demo timeout \(SIGTERM\): timed out after 2s \(--timeout 2s\)/);
  assert.match(second.out, /\(exit 124: 124 means timed out\)/);
  assert.match(second.out, /^STARTED +JOB +STATUS +EXIT/m);
  assert.match(second.out, / demo +timeout +124 \(SIGTERM\) /);
  assert.equal(existsSync(userDb), false, 'the demo leaves no job in the user\'s database');
  assert.equal(existsSync(join(work, 'state')), false);
  // Nothing that is noise: no npm warnings or banners, no esbuild command line.
  assert.doesNotMatch(first.out + first.err + second.out + second.err, /npm (warn|WARN|notice)|esbuild |^> /m);
  t.diagnostic(`second install took ${second.ms} ms`);
  // Each command writes its own code cache the first time it completes (the demo ran history).
  const commandCache = /^lib\/cronguard\/dist\/cronguard\.cjs\.[a-z]+\.cache$/;
  assert.deepEqual(listing(prefix).filter((f) => !commandCache.test(f)), files, 'a second install leaves the same files');
  assert.equal(readFileSync(crontabFile, 'utf8').split(sweepLine).length, 2, 'the sweep line is added once');
  assert.equal(cronLike(['--version']).status, 0);

  const gone = await installSh(['--prefix', prefix, '--uninstall']);
  assert.equal(gone.code, 0, gone.err);
  assert.deepEqual(listing(prefix), ['bin/someone-else'], 'only what install.sh did not write is left');
  assert.deepEqual(readdirSync(prefix), ['bin'], 'directories install.sh created are gone');
  assert.equal(readFileSync(crontabFile, 'utf8'), 'MAILTO=ops@example.com\n0 1 * * * /bin/true\n');
});

test('install.sh refuses an old Node, a foreign cronguard and unknown arguments, and says what to do', async () => {
  const oldNode = join(work, 'old-node');
  writeFileSync(oldNode, '#!/bin/sh\n[ "$1" = --version ] && echo v18.19.0\nexit 1\n');
  chmodSync(oldNode, 0o755);
  const r = await installSh(['--prefix', join(work, 'never')], { NODE: oldNode });
  assert.equal(r.code, 1);
  assert.match(r.err, /^install\.sh: Node\.js >= 20\.19 is needed, .*old-node is v18\.19\.0: upgrade it/);
  assert.ok(!existsSync(join(work, 'never')), 'nothing installed');
  const foreign = join(work, 'foreign');
  mkdirSync(join(foreign, 'bin'), { recursive: true });
  writeFileSync(join(foreign, 'bin', 'cronguard'), '#!/bin/sh\n# some other cronguard\n');
  const refused = await installSh(['--prefix', foreign]);
  assert.equal(refused.code, 1);
  assert.match(refused.err, /cronguard exists and was not written by install\.sh/);
  assert.deepEqual(readdirSync(foreign), ['bin'], 'nothing installed over a foreign cronguard');
  const bad = await installSh(['--bogus']);
  assert.equal(bad.code, 1);
  assert.match(bad.err, /unknown argument "--bogus"/);
});
