import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import '../helpers/cjs-require.ts';
import { notifySweep } from '../../src/notify/sweep.ts';
import { notifySettings } from '../../src/notify/settings.ts';
import { tempDir } from '../helpers/cli.ts';
import { writeStore } from '../helpers/store.ts';
import { startServer } from '../helpers/http.ts';

const dir = tempDir();
const problem = { job: 'backup', kind: 'overdue', since: '2030-01-01T03:05:00.000Z', runId: null, message: 'expected at 03:00, not started' };

test('sweep API: each channel hears each problem once and its resolution once, then the dead-man ping', async () => {
  const server = await startServer();
  const db = join(dir, 'sweep.db');
  const { settings } = notifySettings({ 'notify-url': [`${server.url}/hook`], ping: `${server.url}/dms` }, {});
  const report = { ...problem, job: 'report', kind: 'failing' };
  const sweepNews = (at: string, current: Array<typeof problem>) => ({
    current, transient: [], settings, env: {}, at, exitCode: 1, summary: 'backup overdue',
  });
  const { warnings, outbox } = await writeStore(db, async (store) => ({
    warnings: [
      await notifySweep({ ...sweepNews('2030-01-01T03:30:00.000Z', [problem, report]), store }),
      await notifySweep({ ...sweepNews('2030-01-01T04:00:00.000Z', [problem]), store }),
      await notifySweep({ ...sweepNews('2030-01-01T04:30:00.000Z', [problem]), store }),
    ],
    outbox: await store.metrics.outbox(),
  }));
  assert.deepEqual(warnings, [null, null, null]);
  const hooks = server.received.filter((r) => r.path === '/hook').map((r) => r.json as Record<string, unknown>);
  assert.deepEqual(hooks.map((e) => [e['type'], e['job'], e['at']]), [
    ['problem', 'backup', '2030-01-01T03:30:00.000Z'], ['problem', 'report', '2030-01-01T03:30:00.000Z'],
    ['resolved', 'report', '2030-01-01T04:00:00.000Z'],
  ]);
  assert.deepEqual(hooks[0]?.['problem'], problem);
  assert.equal(hooks[0]?.['run'], null);
  const dms = server.received.find((r) => r.path.startsWith('/dms'));
  assert.equal(dms?.path, '/dms');
  assert.equal(dms?.body.toString(), 'backup overdue');
  assert.deepEqual(outbox, { queued: 0, dead: 0 }, 'both queued notifications delivered');
});

test('sweep API: a sweep that failed pings URL/fail; a receiver that is down is one warning', async () => {
  const server = await startServer();
  const gone = await startServer();
  await gone.close();
  const { settings } = notifySettings({ 'notify-url': [gone.url], ping: server.url }, { CRONGUARD_NOTIFY_TIMEOUT: '2s' });
  const warning = await writeStore(join(dir, 'down.db'), (store) =>
    notifySweep({ current: [problem], transient: [], settings, store, env: {}, at: '2030-01-01T03:30:00.000Z', exitCode: 125, summary: '' }));
  assert.match(warning ?? '', /^could not deliver the problem notification of backup .*ECONNREFUSED.*; queued; later cronguard runs given this channel retry it$/);
  assert.equal(server.received[0]?.path, '/fail');
});
