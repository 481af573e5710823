import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, tempDir } from '../helpers/cli.ts';

const db = join(tempDir(), 'cg.db');

test('a duration reaching before any date is refused by name, not an internal error', async () => {
  await cronguard(['--db', db, '--', 'true']);
  for (const args of [['history', '--since', '999999999d'], ['prune', '--older-than', '999999999d'], ['stats', '--since', '999999999d']]) {
    const r = await cronguard([...args, '--db', db]);
    assert.equal(r.code, 125, args.join(' '));
    assert.match(r.stderr, new RegExp(`^cronguard: ${args[1]} "999999999d": too far back`), r.stderr);
  }
});

test('prune --older-than takes a duration, not a date', async () => {
  const r = await cronguard(['prune', '--older-than', '2024-01-01', '--db', db]);
  assert.equal(r.code, 125);
  assert.match(r.stderr, /^cronguard: --older-than "2024-01-01": expected a duration/);
});

test('status on a file that is not a database is one clear line, not an internal error', async () => {
  const r = await cronguard(['status', '--db', '/etc/passwd']);
  assert.equal(r.code, 125);
  assert.doesNotMatch(r.stderr, /internal error/);
  assert.match(r.stderr, /^cronguard: .*\/etc\/passwd/);
});
