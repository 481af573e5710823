import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import '../helpers/cjs-require.ts';
import { spoolLine } from '../../src/store/spool.ts';
import type { RunRecord } from '../../src/shared/types.ts';
import { cronguard, tempDir } from '../helpers/cli.ts';
import { recordedRuns } from '../helpers/store.ts';

// SPEC §9: the spool is checked on ingest; a bad record is set aside whole with a warning, the good ones
// around it are ingested.
const dir = tempDir();

/** A complete run as the spool holds it. */
function run(id: string, job: string, status: string): RunRecord {
  return {
    id, job, status: status as RunRecord['status'], exitCode: 1, signal: null, startedAt: '2026-01-01T00:00:00.000Z',
    heartbeatAt: '2026-01-01T00:00:01.000Z', endedAt: '2026-01-01T00:00:01.000Z', durationMs: 1000, host: 'h', pid: 42,
    pidStart: '7', pgid: 42, command: ['/bin/job'], timeoutMs: null, killAfterMs: 10000, heartbeatMs: 30000, reason: null,
    attempts: [{ n: 1, status: status as RunRecord['status'], exitCode: 1, signal: null, startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: '2026-01-01T00:00:01.000Z', durationMs: 1000, outputBytes: 3, reason: null, output: Buffer.from('out') }],
  };
}

test('a bad spool record is set aside in .rejected with a warning; the good ones around it are ingested', async () => {
  const db = join(dir, 'cg.db');
  assert.equal((await cronguard(['--db', db, '--name', 'seed', '--', 'true'])).code, 0);
  const good1 = spoolLine({ run: run('aaaaaaaa-0000-4000-8000-000000000001', 'good-one', 'failed'), schedule: null });
  const bad = spoolLine({ run: run('aaaaaaaa-0000-4000-8000-000000000002', 'bad', 'pwned\x1b[2J'), schedule: null });
  const badJob = spoolLine({ run: run('aaaaaaaa-0000-4000-8000-000000000003', 'evil\u202ejob', 'failed'), schedule: null });
  const good2 = spoolLine({ run: run('aaaaaaaa-0000-4000-8000-000000000004', 'good-two', 'failed'), schedule: { schedule: '* * * * *', tz: null, graceMs: 1000 } });
  writeFileSync(`${db}.spool`, [good1, bad, badJob, good2].join(''), { mode: 0o600 });
  const r = await cronguard(['--db', db, '--name', 'next', '--', 'true']);
  assert.equal(r.code, 0);
  assert.match(r.stderr, new RegExp(`^cronguard: 2 spooled records were not valid \\(status is not valid\\) and not ingested: set aside in ${db}\\.spool\\.rejected\\n$`));
  const jobs = (await recordedRuns(db)).map((x) => x.job).sort();
  assert.deepEqual(jobs, ['good-one', 'good-two', 'next', 'seed']);
  assert.equal(readFileSync(`${db}.spool.rejected`, 'utf8'), `${bad}${badJob}`, 'set aside whole, as they were');
  assert.equal(statSync(`${db}.spool.rejected`).mode & 0o777, 0o600);
  assert.equal(existsSync(`${db}.spool`), false, 'the spool is taken in');
});
