#!/usr/bin/env node
// `npm run bench`: builds the bench scripts (bench/*.bench.ts) with esbuild and runs each in turn.
// Every figure is a ratio against a baseline measured in the same process, so machines compare.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const only = process.argv.slice(2);
const files = readdirSync(join(root, 'bench')).filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
execFileSync(join(root, 'node_modules', '.bin', 'esbuild'), [
  ...files.map((f) => join('bench', f)), '--bundle', '--platform=node', '--format=esm', '--outdir=dist/bench',
  '--packages=external', '--log-level=warning',
  // The store loads better-sqlite3 with require (see src/store/sqlite/database.ts): give the ESM bundles one.
  "--banner:js=import { createRequire as __benchRequire } from 'node:module'; const require = __benchRequire(import.meta.url);",
], { cwd: root, stdio: 'inherit' });
for (const f of files) {
  console.log(`\n== ${f.replace('.bench.ts', '')}`);
  execFileSync(process.execPath, [join(root, 'dist', 'bench', f.replace('.ts', '.js'))], { cwd: root, stdio: 'inherit' });
}
