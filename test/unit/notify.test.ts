import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../helpers/cjs-require.ts';
import { nextTry, retryDelayMs } from '../../src/notify/backoff.ts';
import { type NotifyEvent, runEvent } from '../../src/notify/event.ts';
import { channelNews } from '../../src/notify/sweep.ts';
import { type Channel, channelFingerprint } from '../../src/shared/channel.ts';
import { bodyTail, outcomeSuffix, pingUrl } from '../../src/notify/ping.ts';
import { slackBody, slackEscape } from '../../src/notify/slack.ts';
import { escapeHelp, escapeLabel, exposition } from '../../src/report/prometheus.ts';
import { applyChecks } from '../../src/runner/checks.ts';
import { LineMatcher, MATCH_BUDGET_MS } from '../../src/runner/line-matcher.ts';
import type { RunRecord } from '../../src/shared/types.ts';

test('backoff: 30s, then doubling, capped at 1h', () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 20].map(retryDelayMs), [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000]);
});

test('backoff: given up once the next try would be more than 7 days after queueing', () => {
  const created = new Date('2030-01-01T00:00:00Z');
  assert.deepEqual(nextTry(1, created, created), new Date('2030-01-01T00:00:30Z'));
  assert.equal(nextTry(30, created, new Date('2030-01-07T23:30:00Z')), null);
  assert.ok(nextTry(30, created, new Date('2030-01-06T00:00:00Z')));
});

const run: RunRecord = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e', job: 'backup', status: 'failed', exitCode: 3, signal: null,
  startedAt: '2030-01-01T00:00:00.000Z', heartbeatAt: '2030-01-01T00:00:01.000Z', endedAt: '2030-01-01T00:00:01.000Z',
  durationMs: 1000, host: 'web1', pid: 1, pidStart: null, pgid: null, command: ['backup.sh'], timeoutMs: null,
  killAfterMs: 10_000, heartbeatMs: 30_000, reason: null,
  attempts: [{ n: 1, status: 'failed', exitCode: 3, signal: null, startedAt: '2030-01-01T00:00:00.000Z', endedAt: '2030-01-01T00:00:01.000Z', durationMs: 1000, outputBytes: 19, reason: null, output: Buffer.from('rsync: <a & b>\n```x\n') }],
};

test('slack body: icon, message, run id, output tail as code with &, <, > escaped and no early fence', () => {
  const body = slackBody(runEvent('failure', run, 2, '2030-01-01T00:00:01.000Z'));
  assert.deepEqual(Object.keys(body), ['text']);
  assert.equal(body.text, [
    ':red_circle: job backup failed (exit 3) on web1, 2 in a row',
    'run `0f8fad5b-d9cb-469f-a165-70867728950e`',
    "```rsync: &lt;a &amp; b&gt;\n'''x```",
  ].join('\n'));
  assert.equal(slackEscape('a<b>&c'), 'a&lt;b&gt;&amp;c');
  assert.match(slackBody(runEvent('recovery', { ...run, status: 'success' }, 4, 'x')).text, /^:large_green_circle: job backup recovered on web1 after 4 failures/);
});

test('event: stable keys and the output tail', () => {
  const event = runEvent('failure', run, 1, '2030-01-01T00:00:01.000Z');
  assert.deepEqual(Object.keys(event), ['version', 'id', 'type', 'at', 'job', 'host', 'message', 'reason', 'failureStreak', 'run', 'output', 'problem']);
  assert.equal(event.output, 'rsync: <a & b>\n```x\n');
  assert.equal(event.run?.['id'], run.id);
});

test('prometheus: label values escape backslash, quote and newline; HELP escapes backslash and newline', () => {
  assert.equal(escapeLabel('a\\b"c\nd'), 'a\\\\b\\"c\\nd');
  assert.equal(escapeHelp('x\\y\n"z"'), 'x\\\\y\\n"z"');
  assert.equal(exposition([{ name: 'm', help: 'h', type: 'gauge', samples: [{ labels: { job: 'a"b' }, value: 1.5 }, { labels: {}, value: NaN }] }]),
    '# HELP m h\n# TYPE m gauge\nm{job="a\\"b"} 1.5\nm NaN\n');
});

test('ping URLs: suffix before the query, rid added, a trailing slash folded', () => {
  assert.equal(pingUrl('https://hc-ping.com/uuid', '/start', 'r1'), 'https://hc-ping.com/uuid/start?rid=r1');
  assert.equal(pingUrl('https://hc-ping.com/key/slug/?create=1', '/fail', 'r2'), 'https://hc-ping.com/key/slug/fail?create=1&rid=r2');
  assert.equal(pingUrl('https://hc-ping.com/uuid', '', null), 'https://hc-ping.com/uuid');
  assert.deepEqual([outcomeSuffix(true, 0), outcomeSuffix(false, 3), outcomeSuffix(false, 124), outcomeSuffix(false, 0)], ['', '/3', '/124', '/fail']);
  assert.equal(bodyTail(Buffer.alloc(150_000, 'a')).length, 100_000);
});

test('line matcher: lines split across chunks and multi-byte characters still match', async () => {
  const m = new LineMatcher(/^ERR: é$/);
  const bytes = Buffer.from('ok\nERR: é\nmore\n');
  for (let i = 0; i < bytes.length; i++) m.write(bytes.subarray(i, i + 1));
  assert.equal(await m.finish(true), 'ERR: é');
  const last = new LineMatcher(/tail$/);
  last.write(Buffer.from('no newline at the tail'));
  assert.equal(await last.finish(true), 'no newline at the tail');
  const none = new LineMatcher(/x/);
  none.write(Buffer.from('a\nb\n'));
  assert.equal(await none.finish(true), null);
  assert.equal(none.gaveUp, null);
});

test('line matcher: a backtracking regex is given up within the budget, never blocking this thread', async () => {
  const m = new LineMatcher(/^(a+)+$/);
  m.write(Buffer.from(`${'a'.repeat(40)}!\n`));
  const ticks: number[] = [];
  const ticker = setInterval(() => ticks.push(Date.now()), 50);
  const started = Date.now();
  assert.equal(await m.finish(true), null);
  clearInterval(ticker);
  const took = Date.now() - started;
  assert.ok(took >= MATCH_BUDGET_MS - 100 && took < MATCH_BUDGET_MS + 10_000, `gave up after ${took} ms`);
  assert.match(m.gaveUp ?? '', /took over 5s after the output ended/);
  const gaps = ticks.slice(1).map((t, i) => t - (ticks[i] as number));
  assert.ok(Math.max(...gaps) < 1000, `the event loop kept ticking (largest gap ${Math.max(...gaps)} ms)`);
  const stopped = new LineMatcher(/^(a+)+$/);
  stopped.write(Buffer.from(`${'a'.repeat(40)}!\n`));
  const t0 = Date.now();
  assert.equal(await stopped.finish(false), null, 'a failed command needs no answer: matching stops at once');
  assert.ok(Date.now() - t0 < 1000);
});

test('checks turn only a success into a failure, exit 1, with the reason', () => {
  const ok = { status: 'success' as const, exitCode: 0, signal: null, code: 0, reason: null };
  const checks = { minDurationMs: 1000, failOnOutput: null };
  assert.deepEqual(applyChecks(ok, checks, 5000, null), ok);
  const fast = applyChecks(ok, checks, 200, null);
  assert.equal(fast.status, 'failed');
  assert.equal(fast.code, 1);
  assert.equal(fast.exitCode, 0);
  assert.match(fast.reason ?? '', /200ms, under --min-duration 1\.0s/);
  const failed = { ...ok, status: 'failed' as const, exitCode: 2, code: 2 };
  assert.deepEqual(applyChecks(failed, checks, 200, 'ERROR'), failed);
});

test('channel news: each channel hears what it has not heard, and the end of what it heard; a new appearance is both', () => {
  const hook: Channel = { kind: 'url', url: 'http://h/', format: 'json' };
  const mail: Channel = { kind: 'command', command: 'mail ops' };
  const p = (job: string, since: string) => ({ job, kind: 'failing', since, runId: null, message: `${job} failed` });
  const [a, b, again, lost] = [p('a', 'T1'), p('b', 'T1'), p('c', 'T2'), { ...p('d', 'T3'), kind: 'stuck' }];
  const heard = [
    { channelFp: channelFingerprint(hook), ...a }, // still current: nothing
    { channelFp: channelFingerprint(hook), ...p('gone', 'T0') }, // resolved
    { channelFp: channelFingerprint(hook), ...p('c', 'T1') }, // c came back since: its end, then its new appearance
  ];
  const event = (type: 'problem' | 'resolved', q: { job: string; kind: string; since: string }) => ({ type, id: `${type} ${q.job} ${q.since}` }) as unknown as NotifyEvent;
  const news = channelNews([hook, mail], heard, [a, b, again, lost], [lost], event);
  const said = (c: Channel) => news.filter((n) => n.channel === c).map((n) => `${n.event.id}${n.heard ? ` ${n.heard.op}` : ''}`);
  assert.deepEqual(said(hook), ['resolved gone T0 forget', 'resolved c T1 forget', 'problem b T1 hear', 'problem c T2 hear', 'problem d T3']);
  assert.deepEqual(said(mail), ['problem a T1 hear', 'problem b T1 hear', 'problem c T2 hear', 'problem d T3']);
  assert.equal(news.find((n) => n.channel === mail && n.event.id === 'problem a T1')?.heard?.problem.channelFp, channelFingerprint(mail));
});
