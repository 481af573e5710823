import assert from 'node:assert/strict';
import { appendFileSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, cronguardJson, tempDir, waitFor } from '../helpers/cli.ts';
import { recordedRuns } from '../helpers/store.ts';

const dir = tempDir();

const job = (db: string, name: string, code: number) =>
  cronguard(['--db', db, '--name', name, '--', 'sh', '-c', `echo output of ${name}; exit ${code}`], { limitMs: 60_000 });

test('a spool write torn by a full disk never swallows the next record: that one is ingested, the torn one set aside with a warning', async () => {
  const db = join(dir, 'torn.db');
  writeFileSync(db, 'this is not a database '.repeat(200));
  assert.equal((await job(db, 'before', 0)).code, 0);
  // What an append cut short by ENOSPC leaves: the start of a record, without its end or newline.
  const whole = readFileSync(`${db}.spool`, 'utf8').split('\n').find((l) => l !== '') ?? '';
  appendFileSync(`${db}.spool`, whole.slice(0, 80));
  assert.equal((await job(db, 'after', 5)).code, 5);
  rmSync(db);
  const next = await job(db, 'next', 0);
  assert.match(next.stderr, /^cronguard: 1 spooled record was torn .* set aside in .*torn\.db\.spool\.torn\n$/);
  assert.equal(readFileSync(`${db}.spool.torn`, 'utf8'), `${whole.slice(0, 80)}\n`);
  const runs = await cronguardJson<Array<{ job: string; status: string }>>(['history', '--json'], db);
  assert.deepEqual(runs.map((r) => [r.job, r.status]).reverse(), [['before', 'success'], ['after', 'failed'], ['next', 'success']]);
});

test('the database deleted mid-run: the record is spooled with a warning, and the next run takes it in', async () => {
  const db = join(dir, 'deleted.db');
  const go = join(dir, 'go');
  const running = cronguard(['--db', db, '--name', 'orphaned', '--', 'sh', '-c', `while [ ! -e ${go} ]; do sleep 0.05; done; echo done; exit 6`], { limitMs: 60_000 });
  await waitFor(async () => (await recordedRuns(db, { job: 'orphaned' })).some((r) => r.pgid !== null), 30_000, 'the run on record');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${db}${suffix}`, { force: true });
  writeFileSync(go, '');
  const r = await running;
  assert.equal(r.code, 6);
  assert.match(r.out, /job orphaned failed \(exit 6\)/);
  assert.match(r.stderr, /^cronguard: cannot write to the database .*deleted\.db: the database file .*deleted\.db was deleted while the job ran; the job ran anyway and its record is spooled beside the database\n$/);
  assert.ok(existsSync(`${db}.spool`));
  const next = await job(db, 'next', 0);
  assert.equal(next.stderr, '');
  const runs = await cronguardJson<Array<{ job: string; status: string }>>(['history', '--json'], db);
  assert.deepEqual(runs.map((r) => [r.job, r.status]).reverse(), [['orphaned', 'failed'], ['next', 'success']]);
});
