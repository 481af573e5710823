import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS, type CommandName } from '../../src/shared/options.ts';
import { cronguard, ROOT } from '../helpers/cli.ts';

const MAN = join(ROOT, 'man', 'cronguard.1');
const page = readFileSync(MAN, 'utf8');
/** Options every command takes, documented once in the run mode's section. */
const SHARED = new Set(['db', 'help']);

/** An option as roff source writes it: every hyphen escaped. */
const roff = (option: string): string => `\\-\\-${option.replace(/-/g, '\\-')}`;

/** The source of a command's section: from its .SS heading to the next heading. */
function section(command: CommandName): string {
  const heading = command === 'run' ? '.SS "cronguard [run]' : `.SS "cronguard ${command}`;
  const start = page.indexOf(heading);
  assert.notEqual(start, -1, `man page has a section for ${command}`);
  const end = page.slice(start + 1).search(/^\.S[SH] /m);
  return end === -1 ? page.slice(start) : page.slice(start, start + 1 + end);
}

test('the man page renders without a warning (groff -man -ww -z)', (t) => {
  if (spawnSync('groff', ['--version']).status !== 0) return t.skip('groff is not installed (.ci/run installs groff-base)');
  const r = spawnSync('groff', ['-man', '-ww', '-z', MAN], { encoding: 'utf8' });
  assert.equal(r.status, 0);
  assert.equal(r.stdout + r.stderr, '');
});

test('the man page documents every option of the option table in its command\'s section', () => {
  for (const spec of COMMANDS) {
    const text = section(spec.name);
    for (const o of spec.options) {
      const where = SHARED.has(o.name) ? section('run') : text;
      assert.ok(where.includes(roff(o.name)), `man page: ${spec.name} --${o.name}`);
    }
  }
});

test('every option --help shows is in the man page', async () => {
  for (const spec of COMMANDS) {
    const r = await cronguard(spec.name === 'run' ? ['--help'] : [spec.name, '--help']);
    assert.equal(r.code, 0, r.stderr);
    const shown = [...r.out.matchAll(/--([a-z][a-z-]*)/g)].map((m) => m[1] as string);
    assert.ok(shown.length > 0, `${spec.name} --help lists options`);
    for (const name of shown) assert.ok(page.includes(roff(name)), `man page lacks --${name} (from ${spec.name} --help)`);
  }
});

test('the man page carries the package version, and the README starts with the two commands', () => {
  const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
  assert.match(page, new RegExp(`^\\.TH CRONGUARD 1 \\S+ "cronguard ${version.replace(/\./g, '\\.')}"`, 'm'));
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const firstBlock = /```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
  assert.match(firstBlock, /^sh install\.sh --demo /m, 'the demo runs in a throwaway database');
  assert.match(firstBlock, /^npm ci && npm test /m);
  // The first screen: the two commands, then one real crontab line naming cronguard by its absolute path.
  const firstScreen = readme.split('\n').slice(0, 40).join('\n');
  assert.match(firstScreen, /^```crontab\n[*\d/, ]+\s+\/\S+\/bin\/cronguard --name \S+ .* -- \/\S+/m);
  assert.match(firstScreen, /What `install\.sh` does\*\* \([^)]*minutes/);
});

test('--help shows each option once, with the table\'s default, and no note twice', async () => {
  for (const spec of COMMANDS) {
    const r = await cronguard(spec.name === 'run' ? ['--help'] : [spec.name, '--help']);
    const flat = r.out.replace(/\s+/g, ' ');
    assert.doesNotMatch(flat, /\(repeatable[^)]*\) \(repeatable\)/, `${spec.name} --help`);
    for (const o of spec.options) {
      const shown = o.default ?? o.defaultText;
      if (shown !== undefined) assert.ok(flat.includes(`[default: ${shown}]`), `${spec.name} --${o.name} default ${shown}`);
      if (o.env) assert.ok(flat.includes(`also ${o.env}`), `${spec.name} --${o.name} names ${o.env}`);
    }
  }
  const run = (await cronguard(['--help'])).out.replace(/\s+/g, ' ');
  assert.match(run, /--retry-delay DUR first backoff delay d, doubled each retry; the real wait is random between d\/2 and d/);
});

test('every default of the option table passes its own parser, and every choice too', () => {
  for (const spec of COMMANDS) {
    for (const o of spec.options) {
      if (o.default !== undefined) assert.doesNotThrow(() => o.parse?.(o.default as string, `--${o.name}`), `${spec.name} --${o.name}`);
      for (const choice of o.choices ?? []) assert.doesNotThrow(() => o.parse?.(choice, `--${o.name}`), `${spec.name} --${o.name} ${choice}`);
    }
  }
});
