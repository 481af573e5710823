import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, cronguardJson, tempDir } from '../helpers/cli.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
type Run = { id: string; status: string; startedAt: string; endedAt: string; durationMs: number };

/** Parses Prometheus text: HELP and TYPE per family, and each sample as name, labels and value. */
function parse(text: string) {
  const types = new Map<string, string>();
  const helps = new Set<string>();
  const samples: Array<{ name: string; labels: Record<string, string>; value: number }> = [];
  for (const line of text.trimEnd().split('\n')) {
    const meta = /^# (HELP|TYPE) (\w+) (.+)$/.exec(line);
    if (meta) {
      if (meta[1] === 'TYPE') types.set(meta[2] ?? '', meta[3] ?? '');
      else helps.add(meta[2] ?? '');
      continue;
    }
    const m = /^(\w+)(?:\{(.*)\})? (\S+)$/.exec(line);
    assert.ok(m, `not a sample line: ${line}`);
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((l) => [l[1], l[2]]));
    assert.ok(types.has(m[1] ?? ''), `TYPE before ${m[1]}`);
    samples.push({ name: m[1] ?? '', labels, value: Number(m[3]) });
  }
  return { types, helps, samples, get: (name: string, labels: Record<string, string>) => samples.find((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))?.value };
}

test('without a database: HELP and TYPE lines, no job samples, exit 0', async () => {
  const r = await cronguard(['metrics', '--db', join(dir, 'none.db')]);
  assert.equal(r.code, 0, r.stderr);
  const m = parse(r.out);
  assert.equal(m.types.get('cronguard_job_runs_total'), 'counter');
  assert.equal(m.samples.filter((s) => s.labels['job']).length, 0);
});

test('metrics match the recorded runs', async () => {
  const job = (name: string, code: number) => cronguard(['--db', db, '--name', name, '--', 'sh', '-c', `sleep 0.1; exit ${code}`]);
  await job('alpha', 0);
  await job('alpha', 2);
  await job('alpha', 0);
  await job('alpha', 1);
  await job('alpha', 1);
  await job('beta', 0);
  const r = await cronguard(['metrics', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  const m = parse(r.out);
  for (const name of m.types.keys()) assert.ok(m.helps.has(name), `HELP for ${name}`);
  const runs = await cronguardJson<Run[]>(['history', 'alpha', '--json'], db);
  const [latest] = runs;
  const lastSuccess = runs.find((x) => x.status === 'success');
  assert.equal(m.get('cronguard_job_runs_total', { job: 'alpha' }), 5);
  assert.equal(m.get('cronguard_job_failures_total', { job: 'alpha' }), 3);
  assert.equal(m.get('cronguard_job_failure_streak', { job: 'alpha' }), 2);
  assert.equal(m.get('cronguard_job_runs_total', { job: 'beta' }), 1);
  assert.equal(m.get('cronguard_job_failures_total', { job: 'beta' }), 0);
  assert.equal(m.get('cronguard_job_last_start_timestamp_seconds', { job: 'alpha' }), Date.parse(latest?.startedAt ?? '') / 1000);
  assert.equal(m.get('cronguard_job_last_success_timestamp_seconds', { job: 'alpha' }), Date.parse(lastSuccess?.endedAt ?? '') / 1000);
  assert.equal(m.get('cronguard_job_last_duration_seconds', { job: 'alpha' }), (latest?.durationMs ?? 0) / 1000);
  assert.equal(m.get('cronguard_job_last_status', { job: 'alpha', status: 'failed' }), 1);
  assert.equal(m.get('cronguard_job_last_status', { job: 'alpha', status: 'success' }), 0);
  assert.equal(m.get('cronguard_job_last_status', { job: 'beta', status: 'success' }), 1);
  assert.equal(m.get('cronguard_notifications_queued', {}), 0);
});

test('--textfile writes the same text atomically (no temporary file left), mode 0644', async () => {
  const out = join(dir, 'textfile');
  await cronguard(['--db', db, '--name', 'gamma', '--', 'true']);
  const path = join(dir, 'cronguard.prom');
  const r = await cronguard(['metrics', '--db', db, '--textfile', path]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.out, '');
  const text = readFileSync(path, 'utf8');
  assert.equal(parse(text).get('cronguard_job_runs_total', { job: 'gamma' }), 1);
  assert.equal(statSync(path).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(dir).filter((n) => n.startsWith('cronguard.prom')), ['cronguard.prom']);
  const bad = await cronguard(['metrics', '--db', db, '--textfile', join(out, 'missing-dir', 'x.prom')]);
  assert.equal(bad.code, 1);
  assert.match(bad.stderr, /^cronguard: cannot write --textfile /);
});

test('problem flags and the last sweep time come from sweep', async () => {
  const before = parse((await cronguard(['metrics', '--db', db])).out);
  assert.equal(before.samples.filter((x) => x.name === 'cronguard_job_problem' && x.value === 1).length, 0, 'no sweep yet: no flags');
  const sweep = await cronguard(['sweep', '--db', db, '--crontab', '/dev/null', '--json']);
  assert.equal(sweep.code, 1, sweep.stderr);
  const swept = JSON.parse(sweep.out) as { at: string };
  const m = parse((await cronguard(['metrics', '--db', db])).out);
  assert.equal(m.get('cronguard_job_problem', { job: 'alpha', kind: 'failing' }), 1);
  assert.equal(m.get('cronguard_job_problem', { job: 'alpha', kind: 'stuck' }), 0);
  assert.equal(m.get('cronguard_job_problem', { job: 'beta', kind: 'failing' }), 0, 'a job whose last run succeeded is not failing');
  assert.equal(m.get('cronguard_sweep_last_run_timestamp_seconds', {}), Date.parse(swept.at) / 1000);
});
