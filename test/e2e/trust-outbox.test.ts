import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { channelFingerprint } from '../../src/shared/channel.ts';
import { MIGRATIONS } from '../../src/store/sqlite/schema.ts';
import { cronEnv, cronguard, tempDir } from '../helpers/cli.ts';
import { execute, query } from '../helpers/db.ts';
import { startServer } from '../helpers/http.ts';

// SPEC §9: nothing read back from the outbox chooses what runs or where a notification goes.
const dir = tempDir();

/** A valid event JSON, as a planted row would carry it. */
const event = (id: string) => JSON.stringify({
  version: 1, id, type: 'failure', at: '2026-01-01T00:00:00.000Z', job: 'planted', host: 'h', message: 'm', reason: null,
  failureStreak: 1, run: null, output: null, problem: null,
});

/** A database as cronguard 0.1 left it (schema 4, outbox rows holding their channel), with `rows` planted in its outbox. */
function versionFourDatabase(path: string, rows: Array<{ channel: string; eventId: string }>): void {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  for (const m of MIGRATIONS.filter((m) => m.version <= 4)) db.exec(m.sql);
  db.pragma('user_version = 4');
  const insert = db.prepare(`INSERT INTO outbox (event_id, event_type, job, channel, payload, created_at, next_at)
    VALUES (?, 'failure', 'planted', ?, ?, '2026-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z')`);
  for (const r of rows) insert.run(r.eventId, r.channel, event(r.eventId));
  db.close();
}

/** A run that fails (so it notifies) over the given channel options. */
const failingRun = (db: string, options: string[]) =>
  cronguard(['--db', db, '--name', 'mine', ...options, '--', 'sh', '-c', 'exit 3'], { env: cronEnv(), limitMs: 60_000 });

test('a command planted in an old outbox row is never run, by a run or a sweep; the upgrade keeps no command in the table', async () => {
  const db = join(dir, 'old-outbox.db');
  const planted = join(dir, 'PLANTED');
  const mine = join(dir, 'mine-ran');
  versionFourDatabase(db, [
    { channel: JSON.stringify({ kind: 'command', command: `touch ${planted}` }), eventId: 'e-command' },
    { channel: JSON.stringify({ kind: 'url', url: 'http://127.0.0.1:9/x', format: 'json' }), eventId: 'e-url' },
    { channel: `{"kind":"shell","run":"touch ${planted}"}`, eventId: 'e-garbage' },
  ]);
  const r = await failingRun(db, ['--notify-command', `touch ${mine}`]);
  assert.equal(r.code, 3, r.stderr);
  assert.ok(existsSync(mine), 'the run delivered its own notification over its own channel');
  const sweep = await cronguard(['sweep', '--db', db, '--notify-command', 'true'], { env: cronEnv(), limitMs: 60_000 });
  assert.notEqual(sweep.code, 125, sweep.stderr);
  assert.equal(existsSync(planted), false, 'the planted command never ran');
  const rows = query<Record<string, unknown>>(db, 'SELECT * FROM outbox ORDER BY id');
  assert.ok(!JSON.stringify(rows).includes('touch'), 'no command is stored: neither the old ones nor the new');
  const byEvent = Object.fromEntries(rows.map((row) => [row['event_id'], row]));
  assert.equal(byEvent['e-command']?.['channel_fp'], channelFingerprint({ kind: 'command', command: `touch ${planted}` }));
  assert.equal(byEvent['e-command']?.['delivered_at'], null);
  assert.match(String(byEvent['e-garbage']?.['last_error']), /given up on upgrade/);
  assert.ok(byEvent['e-garbage']?.['dead_at']);
});

test('a row planted for another channel is never delivered; one planted for ours with a bad payload is given up, never sent', async () => {
  const db = join(dir, 'planted.db');
  const planted = join(dir, 'PLANTED2');
  const server = await startServer();
  const first = await failingRun(db, ['--notify-url', server.url]);
  assert.equal(first.code, 3, first.stderr);
  assert.equal(server.received.length, 1);
  const ours = channelFingerprint({ kind: 'url', url: server.url, format: 'json' });
  const plant = (fp: string, id: string, payload: string) => execute(db, `INSERT INTO outbox (event_id, event_type, job, channel_fp, payload,
    created_at, next_at) VALUES (?, 'failure', 'planted', ?, ?, '2026-01-01T00:00:00.000Z', '2000-01-01T00:00:00.000Z')`, id, fp, payload);
  plant(channelFingerprint({ kind: 'command', command: `touch ${planted}` }), 'p-other', event('p-other'));
  plant(ours, 'p-bad', '{"version":1,"type":"failure","command":"touch x"}');
  const again = await failingRun(db, ['--notify-url', server.url]);
  assert.equal(again.code, 3);
  const sweep = await cronguard(['sweep', '--db', db, '--notify-url', server.url], { env: cronEnv(), limitMs: 60_000 });
  assert.notEqual(sweep.code, 125, sweep.stderr);
  assert.equal(existsSync(planted), false);
  const sent = server.received.map((x) => (x.json as { id?: string; job?: string } | undefined)?.job);
  assert.ok(sent.every((job) => job !== 'planted'), `nothing planted was sent: ${JSON.stringify(sent)}`);
  const [bad] = query<{ dead_at: string | null; last_error: string }>(db, `SELECT dead_at, last_error FROM outbox WHERE event_id = 'p-bad'`);
  assert.ok(bad?.dead_at, 'the bad payload is given up');
  assert.match(bad?.last_error ?? '', /not a cronguard event/);
  const [other] = query<{ dead_at: string | null; attempts: number }>(db, `SELECT dead_at, attempts FROM outbox WHERE event_id = 'p-other'`);
  assert.deepEqual(other, { dead_at: null, attempts: 0 }, 'the row of a channel nobody gave stays untouched');
});

test('upgrade: channels are not told again of problems the outbox shows they heard; a planted payload that is not JSON breaks nothing', async () => {
  const db = join(dir, 'heard-upgrade.db');
  const [toldFile, newFile] = [join(dir, 'told-before'), join(dir, 'never-told')];
  const command = (file: string) => `echo "$CRONGUARD_EVENT $CRONGUARD_JOB $CRONGUARD_PROBLEM" >> ${file}`;
  const since = '2026-01-01T03:00:00.000Z';
  const old = new Database(db);
  old.function('cronguard_channel_fingerprint', (_channel: unknown) => null); // migration 10 on an empty outbox
  for (const m of MIGRATIONS.filter((m) => m.version <= 18)) old.exec(m.sql);
  old.pragma('user_version = 18');
  old.prepare(`INSERT INTO problems (job, kind, since, run_id, message, opened_at, reported_at) VALUES ('old', 'failing', ?, NULL, 'failed', ?, ?)`).run(since, since, since);
  const queued = old.prepare(`INSERT INTO outbox (event_id, event_type, job, channel_fp, payload, created_at, next_at, delivered_at)
    VALUES (?, 'problem', 'old', ?, ?, ?, ?, ?)`);
  const problemEvent = JSON.stringify({ version: 1, id: 'e1', type: 'problem', problem: { job: 'old', kind: 'failing', since } });
  queued.run('e1', channelFingerprint({ kind: 'command', command: command(toldFile) }), problemEvent, since, since, since);
  queued.run('e2', channelFingerprint({ kind: 'command', command: command(newFile) }), '{"problem": not json', since, since, since);
  old.close();
  // The job has no failing run: the problem is gone. Only the channel that heard of it hears of its end.
  const sweep = await cronguard(['sweep', '--db', db, '--crontab', '/dev/null', '--notify-command', command(toldFile), '--notify-command', command(newFile)]);
  assert.equal(sweep.code, 1, sweep.stderr);
  assert.equal(sweep.stderr, '');
  assert.deepEqual(readFileSync(toldFile, 'utf8'), 'resolved old failing\n');
  assert.equal(existsSync(newFile), false, 'a channel never told of it hears nothing of its end');
});
