import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cronguard, cronguardJson, tempDir } from '../helpers/cli.ts';
import type { RunJson } from '../helpers/forensics.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');

interface StatsJson {
  job: string;
  runs: number;
  successes: number;
  failures: Record<string, number>;
  successRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

before(async () => {
  const record = (name: string, ...argv: string[]) => cronguard(['--db', db, '--name', name, ...argv]);
  for (const pause of ['0', '0.05', '0.1', '0.15']) await record('steady', '--', 'sh', '-c', `sleep ${pause}`);
  await record('mixed', '--', 'true');
  await record('mixed', '--', 'sh', '-c', 'exit 1');
  await record('mixed', '--timeout', '200ms', '--kill-after', '1s', '--', 'sleep', '5');
  await record('mixed', '--', '/nonexistent/command');
});

/** Nearest-rank percentile, computed here independently of cronguard. */
function nearestRank(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil((p / 100) * sorted.length) - 1] as number;
}

test('--json: per job, runs, successes, failures by status, success rate and duration percentiles', async () => {
  const stats = await cronguardJson<StatsJson[]>(['stats', '--json'], db);
  assert.deepEqual(stats.map((s) => s.job), ['mixed', 'steady']);
  assert.deepEqual(Object.keys(stats[0] as StatsJson), ['job', 'runs', 'successes', 'failures', 'successRate', 'p50Ms', 'p95Ms', 'maxMs']);
  const [mixed, steady] = stats as [StatsJson, StatsJson];
  assert.deepEqual(mixed.failures, { failed: 1, timeout: 1, killed: 0, error: 1, lost: 0 });
  assert.equal(mixed.runs, 4);
  assert.equal(mixed.successes, 1);
  assert.equal(mixed.successRate, 0.25);
  assert.equal(steady.successRate, 1);
  for (const s of stats) {
    const durations = (await cronguardJson<RunJson[]>(['history', s.job, '--json'], db)).map((r) => r.durationMs as number);
    assert.equal(s.p50Ms, nearestRank(durations, 50), `${s.job} p50 of ${durations}`);
    assert.equal(s.p95Ms, nearestRank(durations, 95), `${s.job} p95 of ${durations}`);
    assert.equal(s.maxMs, Math.max(...durations));
  }
  assert.ok((mixed.maxMs ?? 0) >= 200, 'the timed-out run lasted its timeout');
});

test('JOB and --since narrow', async () => {
  assert.deepEqual((await cronguardJson<StatsJson[]>(['stats', 'steady', '--json'], db)).map((s) => [s.job, s.runs]), [['steady', 4]]);
  assert.equal((await cronguardJson<StatsJson[]>(['stats', '--since', '1h', '--json'], db)).length, 2);
  assert.deepEqual(await cronguardJson<StatsJson[]>(['stats', '--since', '2099-01-01', '--json'], db), []);
  const none = await cronguard(['stats', '--since', '2099-01-01', '--db', db]);
  assert.equal(none.code, 0);
  assert.equal(none.out, 'no finished runs in that time\n');
});

test('the table, plain when piped', async () => {
  const r = await cronguard(['stats', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  assert.doesNotMatch(r.out, /\x1b/);
  const lines = r.out.trimEnd().split('\n');
  assert.match(lines[0] ?? '', /^JOB +RUNS +OK +SUCCESS +FAILURES +P50 +P95 +MAX$/);
  assert.match(lines[1] ?? '', /^mixed +4 +1 +25\.0% +failed 1, timeout 1, error 1 +\S+ +\S+ +\S+$/);
  assert.match(lines[2] ?? '', /^steady +4 +4 +100% +- /);
});

test('unknown job, bad --since: exit 125; no database: no runs', async () => {
  const unknown = await cronguard(['stats', 'nope', '--db', db]);
  assert.equal(unknown.code, 125);
  assert.match(unknown.stderr, /^cronguard: no job named "nope"/);
  assert.deepEqual(await cronguardJson(['stats', 'nope', '--json'], db), []);
  const bad = await cronguard(['stats', '--since', 'a while', '--db', db]);
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /^cronguard: --since "a while"/);
  const missing = join(dir, 'missing.db');
  assert.equal((await cronguard(['stats', '--db', missing])).out, `no runs recorded in ${missing}\n`);
  assert.deepEqual(await cronguardJson(['stats', '--json'], missing), []);
});
