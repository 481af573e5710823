import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, tempDir } from '../helpers/cli.ts';
import { execute } from '../helpers/db.ts';
import { recordedRuns } from '../helpers/store.ts';
import { runJson } from '../../src/wire/run-json.ts';
import { MalformedRuns } from '../../src/shared/stored.ts';
import { historyCsvHeader, historyCsvRecord } from '../../src/report/history.ts';
import type { RunFilter } from '../../src/store/store.ts';
import type { RunRecord } from '../../src/shared/types.ts';

// `history --limit 0 --json` writes most runs' JSON from packed rows (src/store/sqlite/export.ts), not through
// JSON.stringify(runJson(run)): the two must agree byte for byte on whatever a database holds, and the
// malformed values must be warned about as before. The reference here is the record the store lists.
const dir = tempDir();
const db = join(dir, 'cg.db');
const T = (day: number, s = 0) => `2026-05-${String(day).padStart(2, '0')}T10:00:${String(s).padStart(2, '0')}.000Z`;
const WEIRD = 'q"uote \\ back \b\f\n\r\t \u0001\u001e\u001f\u007f é 😀 \u2028 end';

interface Crafted { id: string; job?: string; status?: string; exit?: unknown; signal?: unknown; start: unknown; beat?: unknown; end?: unknown; duration?: unknown;
  host?: string; pid?: unknown; command?: string; attempts?: Array<Partial<{ status: string; exit: unknown; signal: unknown; start: unknown; end: unknown; duration: unknown; bytes: unknown }>> }

/** Inserts a run and its attempts as given, no questions asked (what another writer could leave). */
function plant(r: Crafted): void {
  const end = r.end === undefined ? r.start : r.end;
  execute(db, `INSERT INTO runs (id, job, status, exit_code, signal, started_at, heartbeat_at, ended_at, duration_ms, host, pid, command, kill_after_ms, heartbeat_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 10000, 30000)`, r.id, r.job ?? 'plain', r.status ?? 'success', r.exit === undefined ? 0 : r.exit,
  r.signal ?? null, r.start, r.beat === undefined ? end ?? r.start : r.beat, end, r.duration === undefined ? 1500 : r.duration, r.host ?? 'web-1',
  r.pid === undefined ? 4242 : r.pid, r.command ?? '["/usr/bin/env","sh","-c","echo hi | gzip > /tmp/x.gz"]');
  for (const [i, a] of (r.attempts ?? []).entries()) {
    execute(db, `INSERT INTO attempts (run_id, n, status, exit_code, signal, started_at, ended_at, duration_ms, output_bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      r.id, i + 1, a.status ?? 'failed', a.exit === undefined ? 1 : a.exit, a.signal ?? null, a.start === undefined ? r.start : a.start,
      a.end === undefined ? end : a.end, a.duration === undefined ? 700 : a.duration, a.bytes === undefined ? 12 : a.bytes);
  }
}

test('setup: a database with ordinary runs and rows of every odd kind', async () => {
  assert.equal((await cronguard(['--db', db, '--name', 'real', '--', 'sh', '-c', 'echo out; exit 3'])).code, 3);
  assert.equal((await cronguard(['--db', db, '--name', 'real', '--', 'true'])).code, 0);
  const three = [{ status: 'failed', end: T(1, 1) }, { status: 'timeout', signal: 'SIGTERM', start: T(1, 2), end: T(1, 3), exit: null }, { status: 'success', exit: 0, start: T(1, 4) }];
  plant({ id: 'a1-plain-three-attempts', start: T(1), end: T(1, 5), beat: T(1, 4), attempts: three });
  plant({ id: 'a2-plain-one', job: 'other', host: 'web-2', start: T(2), attempts: [{ status: 'success', exit: 0 }] });
  plant({ id: 'a3-same-start', start: T(2), attempts: [{}] });
  plant({ id: 'a4-no-attempts', status: 'running', exit: null, end: null, beat: T(3), duration: null, start: T(3) });
  plant({ id: `a5-weird-${WEIRD}`, job: WEIRD, host: `h\u0000st ${WEIRD}`, signal: WEIRD, status: `st${WEIRD}`, start: T(4),
    command: JSON.stringify(['plain', 'é😀', '\u2028', '}],"x":[{']), attempts: [{ signal: WEIRD, status: WEIRD }, { signal: '' }] });
  // The same text beside a plain command, no separator in it: written from the packed row, escaped as JSON.stringify does.
  const weird = WEIRD.replace('\u001f', '');
  plant({ id: `a5-packed-${weird}`, job: weird, host: weird, signal: weird, status: weird, start: T(4, 30), attempts: [{ signal: weird, status: weird }, { signal: null }] });
  plant({ id: 'a6-escaped-command', start: T(5), command: JSON.stringify(['a"b', 'c\\d', '\u0001']), attempts: [{}] });
  plant({ id: 'a7-command-not-json', start: T(6), command: 'not json "at all"', attempts: [{}] });
  plant({ id: 'a8-command-not-strings', start: T(7), command: '["x",1]', attempts: [{}] });
  plant({ id: 'a9-command-spaced', start: T(8), command: '[ "spaced" , "\\u0041" ]', attempts: [{}] });
  plant({ id: 'b1-real-durations', start: T(9), duration: 1234.5, attempts: [{ duration: 0.30000000000000004 }, { duration: 5.0 }] });
  plant({ id: 'b2-negative', start: T(10), duration: -5, exit: -1, attempts: [{ duration: -1, exit: -2 }] });
  plant({ id: 'b3-malformed-times', start: 'yesterday', beat: '2026-05-01T23:00:13.undefinedZ', end: '', attempts: [{ end: '2026-02-29T00:00:00.000Z' }] });
  // Each wrong in one time only, of the written length: what only a check of the characters sees.
  plant({ id: 'b3-no-such-day', start: T(11, 1), end: '2026-02-29T10:00:00.000Z', attempts: [{ end: T(11, 2) }] });
  plant({ id: 'b3-minute-60', start: T(11, 2), end: '2026-05-11T10:60:00.000Z', beat: T(11, 2), attempts: [{ end: T(11, 2) }] });
  plant({ id: 'b3-month-13', start: T(11, 4), attempts: [{ start: '2026-13-11T10:00:04.000Z' }] });
  plant({ id: 'b3-attempt-space', start: T(11, 3), attempts: [{ start: '2026-05-11 10:00:03.000Z' }, { end: '2026-05-11T24:00:00.000Z' }] });
  plant({ id: 'b4-offset-and-leap', start: '2026-05-11T10:00:00+02:00', end: '2028-02-29T23:59:59.999Z', attempts: [{ start: '2026-05-11T10:00:00.5Z' }] });
  plant({ id: 'b5-big-numbers', start: T(12), pid: 9007199254740993, exit: 2 ** 53 - 1, attempts: [{ bytes: 1e15 }, { bytes: 123456789012345 }] });
  plant({ id: 'b6-text-numbers', start: T(13), exit: 'abc', duration: 'a while', pid: 'x', attempts: [{ exit: 'seven', bytes: '9' }] });
  plant({ id: 'b7-separators', job: 'a\u001fb', host: '\u001e', start: T(14), signal: '\u001e', attempts: [{ signal: 'x\u001f' }] });
  plant({ id: 'b8-empty-texts', job: '', host: '', status: '', signal: '', start: T(15), attempts: [{ status: '', signal: '' }] });
  plant({ id: 'b9-nulls', start: T(16), exit: null, end: null, duration: null, attempts: [{ exit: null, end: null, duration: null }] });
  plant({ id: 'c1-blobs', start: T(17), attempts: [{}] });
  execute(db, `UPDATE runs SET signal = X'4142', host = CAST(X'61ff62eda080' AS TEXT) WHERE id = 'c1-blobs'`);
  plant({ id: 'c2-invalid-utf8', start: T(18), attempts: [{}] });
  execute(db, `UPDATE runs SET job = CAST(X'e282' AS TEXT) || 'x', command = CAST(X'5b22ff225d' AS TEXT) WHERE id = 'c2-invalid-utf8'`);
  execute(db, `UPDATE attempts SET signal = CAST(X'c0af' AS TEXT) WHERE run_id = 'c2-invalid-utf8'`);
  plant({ id: 'c2-invalid-utf8-plain', start: T(18, 1), attempts: [{}, {}] });
  execute(db, `UPDATE runs SET job = CAST(X'61e282' AS TEXT), host = CAST(X'ff' AS TEXT) || 'h' WHERE id = 'c2-invalid-utf8-plain'`);
  execute(db, `UPDATE attempts SET status = CAST(X'eda080' AS TEXT) WHERE run_id = 'c2-invalid-utf8-plain' AND n = 2`);
  plant({ id: 'c3-blob-time', start: T(19), attempts: [{}] });
  execute(db, `UPDATE runs SET started_at = CAST(? AS BLOB) WHERE id = 'c3-blob-time'`, T(19));
});

/** What history --json wrote before it streamed packed rows: JSON.stringify(runJson(run)) of each listed record. */
const jsonOf = (runs: RunRecord[]) => (runs.length === 0 ? '[]\n' : `[\n${runs.map((r) => JSON.stringify(runJson(r))).join(',\n')}\n]\n`);

/** The warnings MalformedRuns gives about the runs, as stderr shows them. */
function warningsOf(runs: RunRecord[]): string {
  const lines: string[] = [];
  const malformed = new MalformedRuns((line) => lines.push(`cronguard: ${line}\n`));
  for (const run of runs) malformed.check(run);
  malformed.finish();
  return lines.join('');
}

test('history --limit 0 --json is byte for byte JSON.stringify(runJson(run)) of every run, with the same warnings', async () => {
  const runs = await recordedRuns(db);
  assert.equal(runs.length, 29);
  const r = await cronguard(['history', '--limit', '0', '--json', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.out, jsonOf(runs));
  assert.equal(r.stderr, warningsOf(runs));
  assert.match(r.stderr, /b3-malf.*not a valid time/);
});

test('history --limit 0 --csv is byte for byte the CSV records of every run', async () => {
  const runs = await recordedRuns(db);
  const r = await cronguard(['history', '--limit', '0', '--csv', '--db', db]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.out, historyCsvHeader() + runs.map(historyCsvRecord).join(''));
  assert.equal(r.stderr, warningsOf(runs));
});

test('the JSON export keeps its order and every filter: JOB, --host, --status, --since, --until, --limit', async () => {
  const cases: Array<[string[], RunFilter]> = [
    [['plain', '--limit', '0'], { job: 'plain' }], [['--host', 'web-2', '--limit', '0'], { host: 'web-2' }],
    [['--status', 'running,success', '--limit', '0'], { statuses: ['running', 'success'] }],
    [['--since', T(2), '--until', T(10), '--limit', '0'], { since: T(2), until: T(10) }], [['--limit', '3'], { limit: 3 }], [['plain', '--limit', '2'], { job: 'plain', limit: 2 }],
    [['nothing-here', '--limit', '0'], { job: 'nothing-here' }],
  ];
  for (const [args, filter] of cases) {
    const r = await cronguard(['history', '--json', ...args, '--db', db]);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    assert.equal(r.out, jsonOf(await recordedRuns(db, filter)), args.join(' '));
  }
});
