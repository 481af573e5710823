import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir } from '../helpers/cli.ts';

/** npm, run in the checkout without lifecycle scripts: `npm test` has just built dist/. */
function npm(args: string[], cwd = ROOT): string {
  const r = spawnSync('npm', [...args, '--ignore-scripts'], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

/** Files the package may hold besides the bundle under dist/. */
const ALLOWED = new Set(['package.json', 'README.md', 'LICENSE', 'man/cronguard.1', 'bin/cronguard', 'bin/package.json']);

test('npm pack holds only what an installed cronguard needs', () => {
  const [pack] = JSON.parse(npm(['pack', '--dry-run', '--json'])) as Array<{ files: Array<{ path: string }> }>;
  const files = (pack?.files ?? []).map((f) => f.path).sort();
  for (const must of ['package.json', 'README.md', 'man/cronguard.1', 'bin/cronguard']) assert.ok(files.includes(must), `packed: ${must}`);
  const bundle = files.filter((f) => f.startsWith('dist/'));
  assert.ok(bundle.length > 0, 'the bundle is packed');
  for (const f of bundle) assert.match(f, /^dist\/(?!test\/|bench\/)[\w./-]+\.(c|m)?js$/, `only bundle code under dist/: ${f}`);
  for (const f of files) assert.ok(ALLOWED.has(f) || bundle.includes(f), `unexpected file in the package: ${f}`);
});

test('the packed package runs from its tarball alone (with the dependencies npm would install)', () => {
  const dir = tempDir();
  npm(['pack', '--silent', '--pack-destination', dir]);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, 'npm pack wrote a tarball');
  assert.equal(spawnSync('tar', ['-xzf', join(dir, tarball), '-C', dir]).status, 0);
  const pkg = join(dir, 'package');
  symlinkSync(join(ROOT, 'node_modules'), join(pkg, 'node_modules'));
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  const run = (args: string[]) => spawnSync(process.execPath, [join(pkg, 'bin', 'cronguard'), ...args], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  assert.equal(run(['--version']).stdout, `${version}\n`);
  const db = join(dir, 'db.sqlite');
  const failed = run(['--db', db, '--name', 'packed', '--', 'sh', '-c', 'echo from-the-tarball; exit 3']);
  assert.equal(failed.status, 3, failed.stderr);
  assert.match(failed.stdout, /from-the-tarball/);
  const history = JSON.parse(run(['history', '--json', '--db', db]).stdout) as Array<{ job: string; status: string }>;
  assert.deepEqual(history.map((r) => [r.job, r.status]), [['packed', 'failed']]);
});
