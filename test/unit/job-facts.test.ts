import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assembleJobs } from '../../src/store/job-facts.ts';
import { storedTextList } from '../../src/shared/stored.ts';

const SEEN = '2026-01-01T00:00:00.000Z';

test("a crontab job's stored schedules that do not parse, or hold no schedule entries, give no schedules and no crash", () => {
  const good = { schedule: '*/5 * * * *', tz: null, graceMs: null, source: '/etc/cron.d/x:3' };
  const jobs = assembleJobs([], [
    { name: 'garbage', schedules: 'garbage', first_seen_at: SEEN },
    { name: 'mixed', schedules: JSON.stringify([good, { schedule: 5 }, null, 'x', { ...good, tz: 3 }]), first_seen_at: SEEN },
    { name: 'object', schedules: '{"schedule":"* * * * *"}', first_seen_at: SEEN },
  ]);
  assert.deepEqual(jobs.map((j) => [j.job, j.crontab]), [['garbage', []], ['mixed', [good]], ['object', []]]);
});

test("a sweep's stored warnings are a list of strings, or nothing", () => {
  assert.deepEqual(storedTextList('["a", 3, "b"]'), ['a', 'b']);
  assert.deepEqual(storedTextList('nope'), []);
  assert.deepEqual(storedTextList('{"a":1}'), []);
  assert.deepEqual(storedTextList(null), []);
});
