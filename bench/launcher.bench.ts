// The launcher's trust checks (bin/cronguard): what stamping the code cache with the bundle's SHA-256 and
// checking the cache's owner and mode cost a start, against the start itself (`cronguard --version`).
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { compareMedians, median, report } from './measure.ts';

const root = process.cwd();
const bin = join(root, 'bin', 'cronguard');
const bundle = join(root, 'dist', 'cronguard.cjs');
const node = process.execPath;

// What the launcher adds, timed inside fresh processes (a cold crypto module, as on a cron tick).
const probe = `
  const t = process.hrtime.bigint();
  const fs = require('node:fs');
  const bytes = fs.readFileSync(${JSON.stringify(bundle)});
  require('node:crypto').createHash('sha256').update(bytes).digest('hex');
  const fd = fs.openSync(${JSON.stringify(`${bundle}.cache`)}, fs.constants.O_RDONLY | fs.constants.O_NOFOLLOW);
  fs.fstatSync(fd); fs.closeSync(fd);
  process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
const readOnly = `
  const t = process.hrtime.bigint();
  require('node:fs').readFileSync(${JSON.stringify(bundle)});
  process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
execFileSync(node, [bin, '--', 'true'], { env: { ...process.env, CRONGUARD_DB: '/dev/null/none.db' }, stdio: 'ignore' });
const checked = median(Array.from({ length: 15 }, () => Number(execFileSync(node, ['-e', probe], { encoding: 'utf8' }))));
const plain = median(Array.from({ length: 15 }, () => Number(execFileSync(node, ['-e', readOnly], { encoding: 'utf8' }))));
const [version = 0] = compareMedians([[node, bin, '--version']], 15);
const cost = checked - plain;
report('cache stamp (SHA-256 of the bundle) + checks', `${cost.toFixed(2)} ms = ${((cost / version) * 100).toFixed(1)}% of --version (${version.toFixed(1)} ms)`, '<= 5%');
