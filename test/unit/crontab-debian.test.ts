import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fixture } from '../helpers/cli.ts';
import { reader } from '../helpers/crontab.ts';

const DIR = fixture('debian-cron');
const files = readdirSync(DIR).filter((f) => f !== 'README.md').sort();
const FLAVOURS = ['cronie', 'debian'] as const;
/** A package's command behind a guard (`&&`, `||`, `then`), where a sysadmin would put cronguard. */
const GUARDED = /(&&|\|\||then) ((?:[A-Z_]+=\S+ )?)(\/(?:usr|sbin)\S+|certbot|debian-sa1)(?!.*(?:&&|\|\||then) (?:[A-Z_]+=\S+ )?(?:\/(?:usr|sbin)\S+|certbot|debian-sa1))/;

test('a dozen real cron.d files from Debian packages: no job, no warning, under both crons', () => {
  assert.ok(files.length >= 12, `${files.length} fixtures`);
  for (const flavour of FLAVOURS) {
    for (const file of files) {
      const r = reader({ flavour, system: true, userExists: () => true })(readFileSync(join(DIR, file), 'utf8'), file);
      assert.deepEqual([r.jobs, r.warnings], [[], []], `${file} (${flavour})`);
    }
  }
});

test('the same files with cronguard put behind their guards: one job per line, on its schedule', () => {
  let total = 0;
  for (const flavour of FLAVOURS) {
    for (const file of files) {
      const expected: Array<[string, string]> = [];
      const text = readFileSync(join(DIR, file), 'utf8').split('\n').map((line, i) => {
        if (!GUARDED.test(line)) return line;
        const name = `${file.split('.')[0]}-${i + 1}`;
        const fields = line.trim().split(/\s+/);
        expected.push([name, fields.slice(0, 5).join(' ')]);
        return line.replace(GUARDED, `$1 $2/usr/local/bin/cronguard --name ${name} -- $3`);
      }).join('\n');
      const r = reader({ flavour, system: true, userExists: () => true })(text, file);
      assert.deepEqual(r.warnings, [], `${file} (${flavour})`);
      assert.deepEqual(r.jobs.map((j) => [j.name, j.schedule]), expected, `${file} (${flavour})`);
      total += expected.length;
    }
  }
  assert.ok(total >= 2 * 14, `${total} wrapped lines`);
});
