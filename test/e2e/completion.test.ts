import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { COMMANDS } from '../../src/shared/options.ts';
import { cronguard, tempDir } from '../helpers/cli.ts';

/** Runs the bash completion function on a command line (last word is the one completed) and returns COMPREPLY. */
function bashComplete(script: string, words: string[]): string[] {
  const probe = `source ${JSON.stringify(script)}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; COMPREPLY=()
_cronguard; printf '%s\\n' "\${COMPREPLY[@]}"`;
  const r = spawnSync('bash', ['--norc', '--noprofile', '-c', probe], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  return r.stdout.split('\n').filter(Boolean);
}

test('bash completion offers every command and every option of the option table', async () => {
  const r = await cronguard(['completion', 'bash']);
  assert.equal(r.code, 0, r.stderr);
  const script = join(tempDir(), 'cronguard.bash');
  writeFileSync(script, r.out);
  assert.deepEqual(bashComplete(script, ['cronguard', '']), COMMANDS.map((c) => c.name));
  for (const spec of COMMANDS) {
    const words = spec.name === 'run' ? ['cronguard', '--'] : ['cronguard', spec.name, '--'];
    const offered = bashComplete(script, words);
    for (const o of spec.options) assert.ok(offered.includes(`--${o.name}`), `${spec.name} --${o.name} offered`);
  }
  assert.deepEqual(bashComplete(script, ['cronguard', '--overlap', '']), ['allow', 'skip', 'wait']);
  assert.deepEqual(bashComplete(script, ['cronguard', 'history', '--status', 'fa']), ['failed']);
  // After a comma the next status completes, keeping the ones before it.
  assert.deepEqual(bashComplete(script, ['cronguard', 'history', '--status', 'failed,t']), ['failed,timeout']);
  assert.deepEqual(bashComplete(script, ['cronguard', '--retry-on', '75,ti']), ['75,timeout']);
  assert.deepEqual(bashComplete(script, ['cronguard', '--notify-format', '']), ['json', 'slack']);
  assert.deepEqual(bashComplete(script, ['cronguard', 'sweep', '--notify-format', 's']), ['slack']);
  assert.deepEqual(bashComplete(script, ['cronguard', 'completion', '']), ['bash', 'zsh']);
  // The wrapped command completes as a command, after "--" or as the run mode's first plain word.
  assert.ok(bashComplete(script, ['cronguard', '--timeout', '5m', '--', 'ech']).includes('echo'));
  assert.ok(bashComplete(script, ['cronguard', '--timeout', '5m', 'ech']).includes('echo'));
});

test('zsh completion is valid zsh and covers every option of the option table', async (t) => {
  const r = await cronguard(['completion', 'zsh']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.out, /^#compdef cronguard\n/);
  for (const spec of COMMANDS) {
    assert.match(r.out, new RegExp(`\\(${spec.name}\\)`));
    for (const o of spec.options) assert.ok(r.out.includes(`--${o.name}`), `${spec.name} --${o.name} in the zsh script`);
  }
  if (spawnSync('zsh', ['--version']).status !== 0) return t.diagnostic('zsh is not installed: the script\'s syntax is not checked');
  const script = join(tempDir(), '_cronguard');
  writeFileSync(script, r.out);
  const check = spawnSync('zsh', ['-n', script], { encoding: 'utf8' });
  assert.equal(check.status, 0, check.stderr);
});

test('completion picks the shell from $SHELL and refuses others', async () => {
  const zsh = await cronguard(['completion'], { env: { PATH: '/usr/bin:/bin', SHELL: '/usr/bin/zsh' } });
  assert.match(zsh.out, /^#compdef cronguard/);
  const bash = await cronguard(['completion'], { env: { PATH: '/usr/bin:/bin' } });
  assert.match(bash.out, /complete -o default -F _cronguard cronguard/);
  const fish = await cronguard(['completion', 'fish']);
  assert.equal(fish.code, 125);
  assert.match(fish.stderr, /^cronguard: completion "fish": expected bash or zsh\n$/);
});
