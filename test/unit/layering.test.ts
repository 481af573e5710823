// The import direction of ARCHITECTURE.md, checked on the source: a layer imports only layers below it,
// and only src/store/ knows a backend's module (src/store/sqlite/, and later others).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../helpers/cli.ts';

/** Each folder of src/ and its layer: higher layers may import lower ones, never the other way or sideways. */
const LAYERS: Record<string, number> = {
  cli: 5, commands: 4, runner: 3, sweep: 3, report: 3, notify: 3, completion: 3, store: 2, schedule: 2, wire: 2, shared: 1,
};

/** Every import of every source file, as [importer, imported] paths relative to src/. */
function imports(): Array<[string, string]> {
  const src = join(ROOT, 'src');
  const found: Array<[string, string]> = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith('.ts')) {
        for (const m of readFileSync(path, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'(\.[^']+)'/g)) {
          found.push([relative(src, path), relative(src, resolve(dirname(path), m[1] ?? ''))]);
        }
      }
    }
  };
  walk(src);
  return found;
}

const folder = (path: string) => path.split('/')[0] ?? '';

test('layering: every src/ folder has a layer, and imports only go down', () => {
  const all = imports();
  assert.ok(all.length > 100, 'the scan found the imports');
  for (const [from] of all) assert.ok(folder(from) in LAYERS, `${from}: folder without a layer in ARCHITECTURE.md`);
  const upward = all.filter(([from, to]) => folder(from) !== folder(to) && (LAYERS[folder(to)] ?? 99) >= (LAYERS[folder(from)] ?? 0));
  assert.deepEqual(upward.map(([from, to]) => `${from} -> ${to}`), []);
});

test('layering: only src/store/ reaches into a backend (src/store/<backend>/)', () => {
  const leaks = imports().filter(([from, to]) => /^store\/[^/]+\//.test(to) && !from.startsWith('store/'));
  assert.deepEqual(leaks.map(([from, to]) => `${from} -> ${to}`), []);
});
