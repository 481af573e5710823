import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronEnv, cronguard, tempDir } from '../helpers/cli.ts';
import { execute, query } from '../helpers/db.ts';
import { startServer } from '../helpers/http.ts';
import { recordedRuns } from '../helpers/store.ts';

const dir = tempDir();
type Row = { id: number; attempts: number; delivered_at: string | null; dead_at: string | null; last_error: string | null; event_id: string };

/** One run of a job exiting `code`, against `db`. */
const job = (db: string, name: string, code: number, options: string[] = [], env = cronEnv()) =>
  cronguard(['--db', db, '--name', name, ...options, '--', 'sh', '-c', `echo out; exit ${code}`], { env, limitMs: 60_000 });
/** A later run of another job that is given the same channel (as a crontab's CRONGUARD_NOTIFY_URL would): it delivers the backlog. */
const other = (db: string, url: string) => job(db, 'other', 0, [], cronEnv({ CRONGUARD_NOTIFY_URL: url }));
/** The outbox rows, oldest first. */
const outbox = (db: string) => query<Row>(db, 'SELECT id, attempts, delivered_at, dead_at, last_error, event_id FROM outbox ORDER BY id');
/** Lets time pass for queued notifications: their next try is due now. */
const makeDue = (db: string) => execute(db, `UPDATE outbox SET next_at = '2000-01-01T00:00:00.000Z' WHERE delivered_at IS NULL`);
/** The event ids the server received. */
const ids = (server: Awaited<ReturnType<typeof startServer>>) => server.received.map((r) => (r.json as { id: string }).id);

test('a 500 leaves the notification queued with backoff; a later cronguard run delivers it, exactly once', async () => {
  const db = join(dir, 'retry500.db');
  const server = await startServer();
  server.answer(500);
  const r = await job(db, 'j500', 2, ['--notify-url', server.url]);
  assert.equal(r.code, 2);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? '', /^cronguard: could not deliver the failure notification of j500 to http:\/\/127\.0\.0\.1:\d+\/\.\.\.: HTTP 500; queued/);
  const [queued] = outbox(db);
  assert.equal(queued?.attempts, 1);
  assert.equal(queued?.delivered_at, null);
  assert.equal(queued?.last_error, 'HTTP 500');
  // Not yet due (backoff): another run leaves it alone.
  await other(db, server.url);
  assert.equal(server.received.length, 1);
  makeDue(db);
  await job(db, 'other', 0);
  assert.equal(server.received.length, 1, 'a run without the channel never delivers it');
  const later = await other(db, server.url);
  assert.equal(later.code, 0);
  assert.equal(later.stderr, '', 'a retried backlog is delivered quietly');
  assert.equal(server.received.length, 2);
  assert.equal(server.received[1]?.headers['x-cronguard-attempt'], '2');
  assert.deepEqual(ids(server), [queued?.event_id, queued?.event_id]);
  assert.ok(outbox(db)[0]?.delivered_at);
  for (let i = 0; i < 3; i++) {
    makeDue(db);
    await other(db, server.url);
  }
  assert.equal(server.received.length, 2, 'never delivered again once delivered');
});

test('a refused connection queues the notification; it is delivered once the receiver is back', async () => {
  const db = join(dir, 'refused.db');
  const gone = await startServer();
  const url = gone.url;
  await gone.close();
  const r = await job(db, 'jref', 4, ['--notify-url', url]);
  assert.equal(r.code, 4);
  assert.match(r.stderr, /^cronguard: could not deliver .*ECONNREFUSED.*; queued/);
  assert.equal(outbox(db)[0]?.attempts, 1);
  const back = await startServer(gone.port);
  makeDue(db);
  await other(db, url);
  assert.equal(back.received.length, 1);
  assert.equal((back.received[0]?.json as { job: string }).job, 'jref');
  makeDue(db);
  await other(db, url);
  assert.equal(back.received.length, 1);
});

test('a hanging receiver delays the job by the delivery timeout at most; exit code and duration unaffected', async () => {
  const db = join(dir, 'hang.db');
  const server = await startServer();
  server.fallback = 'hang';
  const started = Date.now();
  const r = await job(db, 'jhang', 6, ['--notify-url', server.url, '--ping', `${server.url}/ping`], cronEnv({ CRONGUARD_NOTIFY_TIMEOUT: '1s' }));
  const elapsed = Date.now() - started;
  assert.equal(r.code, 6);
  assert.ok(elapsed < 8000, `took ${elapsed} ms`);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, r.stderr);
  assert.match(lines[0] ?? '', /^cronguard: could not deliver .*no answer within \d+ ms; queued.*could not ping/);
  const [run] = await recordedRuns(db);
  assert.equal(run?.status, 'failed');
  assert.ok((run?.durationMs ?? Infinity) < 5000, `recorded duration ${run?.durationMs}`);
  assert.equal(outbox(db)[0]?.delivered_at, null, 'still queued');
});

test('concurrent cronguard runs deliver a queued notification once (claimed under BEGIN IMMEDIATE)', async () => {
  const db = join(dir, 'race.db');
  const server = await startServer();
  server.answer(503);
  await job(db, 'jrace', 1, ['--notify-url', server.url]);
  const second = await job(db, 'jrace', 1, ['--notify-url', server.url]);
  assert.match(second.stderr, /^cronguard: 1 notification of this run waits behind an earlier undelivered one; queued/);
  assert.equal(server.received.length, 1, 'the second waits behind the first: order is kept');
  assert.equal(outbox(db).length, 2);
  makeDue(db);
  const received = server.received.length;
  await Promise.all([1, 2, 3, 4].map(() => other(db, server.url)));
  const delivered = ids(server).slice(received);
  assert.equal(delivered.length, 2, 'each queued notification delivered once');
  assert.deepEqual(delivered, outbox(db).map((r) => r.event_id), 'in the order they happened');
  assert.ok(outbox(db).every((r) => r.delivered_at));
});

test('a receiver that refuses (404) is given up at once, not retried', async () => {
  const db = join(dir, 'dead.db');
  const server = await startServer();
  server.fallback = 404;
  const r = await job(db, 'j404', 1, ['--notify-url', server.url]);
  assert.match(r.stderr, /HTTP 404; given up/);
  assert.ok(outbox(db)[0]?.dead_at);
  makeDue(db);
  await other(db, server.url);
  assert.equal(server.received.length, 1);
});

test('without a usable database the notification is delivered directly, once, with the job unharmed', async () => {
  const server = await startServer();
  writeFileSync(join(dir, 'plain-file'), 'x');
  const r = await job(join(dir, 'plain-file', 'cg.db'), 'nodb', 3, ['--notify-url', server.url]);
  assert.equal(r.code, 3);
  assert.match(r.stderr, /cannot use the database/);
  assert.equal(server.received.length, 1);
  assert.equal((server.received[0]?.json as { failureStreak: unknown }).failureStreak, null);
});
