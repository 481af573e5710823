import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, tempDir } from '../helpers/cli.ts';
import { execute } from '../helpers/db.ts';

// Stored times are read back, never trusted: a spooled record, an older cronguard or a bad import can
// leave a time or a duration that does not parse (the 1M-run seed once wrote `…T23:00:13.undefinedZ`).
const dir = tempDir();
const db = join(dir, 'cg.db');
const BAD_TIME = '2026-05-01T23:00:13.undefinedZ';

test('setup: good runs, then rows with malformed times and durations', async () => {
  for (const job of ['steady', 'broken', 'busy']) assert.equal((await cronguard(['--db', db, '--name', job, '--', 'true'])).code, 0);
  assert.equal((await cronguard(['--db', db, '--name', 'broken', '--', 'sh', '-c', 'exit 3'])).code, 3);
  // broken: its failing run ended at a time that is not one; steady: a duration that is text.
  execute(db, `UPDATE runs SET ended_at = ?, heartbeat_at = ?, duration_ms = 1234.5 WHERE job = 'broken' AND status = 'failed'`, BAD_TIME, BAD_TIME);
  execute(db, `UPDATE attempts SET ended_at = ?, duration_ms = 'soon' WHERE run_id IN (SELECT id FROM runs WHERE job = 'broken')`, BAD_TIME);
  execute(db, `UPDATE runs SET duration_ms = 'a while' WHERE job = 'steady'`);
  // busy: still running, with a start and a heartbeat that do not parse, and a timeout (sweep's overrun check).
  execute(db, `UPDATE runs SET status = 'running', started_at = ?, heartbeat_at = ?, ended_at = NULL, timeout_ms = 1000,
    pid = 2147483646 WHERE job = 'busy'`, BAD_TIME, 'yesterday');
});

test('history, show, status, stats and metrics show a malformed time as it is, and say which run has it', async () => {
  const commands = [['history'], ['history', '--json'], ['history', '--csv'], ['history', 'broken'], ['status'], ['status', '--json'],
    ['stats'], ['stats', '--json'], ['stats', '--since', '30d'], ['metrics']];
  for (const args of commands) {
    const r = await cronguard([...args, '--db', db]);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.doesNotMatch(r.stderr, /internal error|Invalid time value/, args.join(' '));
  }
  const table = await cronguard(['history', '--db', db]);
  assert.match(table.out, /undefinedZ/, 'the malformed start is shown as stored');
  assert.match(table.stderr, /^cronguard: warning: run [0-9a-f]{8}.*(busy|broken).*not a valid time/m, table.stderr);
  const json = JSON.parse((await cronguard(['history', '--json', '--db', db])).out) as Array<{ job: string; endedAt: string | null; durationMs: unknown }>;
  assert.equal(json.find((r) => r.job === 'broken' && r.endedAt !== null)?.endedAt, BAD_TIME);
  assert.equal(json.find((r) => r.job === 'steady')?.durationMs, 'a while');
  const id = json.find((r) => r.job === 'broken' && r.endedAt === BAD_TIME) as unknown as { id: string };
  const show = await cronguard(['show', id.id.slice(0, 8), '--db', db]);
  assert.equal(show.code, 0, show.stderr);
  assert.match(show.out, /undefinedZ/);
});

test('sweep reports around a malformed row instead of failing, and names it', async () => {
  const r = await cronguard(['sweep', '--crontab', '/dev/null', '--db', db]);
  assert.notEqual(r.code, 125, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|Invalid time value/);
  assert.match(r.out, /broken.*failing|failing.*broken/s, r.out);
  assert.match(r.stderr, /not a valid time/, r.stderr);
});

test("sweep's own stored state that does not parse (the last sweep's warnings) is read around, not a crash", async () => {
  const own = join(dir, 'state.db');
  assert.equal((await cronguard(['--db', own, '--name', 'plain', '--', 'true'])).code, 0);
  assert.equal((await cronguard(['sweep', '--crontab', '/dev/null', '--db', own])).code, 0);
  execute(own, `UPDATE sweeps SET warnings = 'nope'`);
  const r = await cronguard(['sweep', '--crontab', '/dev/null', '--db', own]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.stderr, /not valid JSON|internal error/);
});
