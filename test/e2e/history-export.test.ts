import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, tempDir } from '../helpers/cli.ts';
import { execute } from '../helpers/db.ts';
import { readStore, recordedRuns } from '../helpers/store.ts';
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
  // What CSV quotes or must not take for a null, in runs the store writes the CSV fields of.
  plant({ id: 'c4-csv-commas', job: 'a,b', host: 'h,"1"', signal: 'SIG,X', status: 'st"x', start: T(20), command: JSON.stringify(['sh', '-c', "echo 'a, b' \"c\""]),
    attempts: [{ bytes: 0.1 }, { bytes: 0.2 }, { bytes: 0.3 }] });
  plant({ id: 'c5-null-texts', start: T(21), end: 'null', beat: T(21), attempts: [{ end: 'null' }] });
  plant({ id: 'c5-t-texts', start: T(21, 1), end: `t${T(21, 2)}`, beat: T(21, 1), attempts: [{ end: `t${T(21, 2)}` }] });
  plant({ id: 'c5-attempt-null-text', start: T(21, 3), attempts: [{}, { end: 'null' }] });
  plant({ id: 'c6-small-numbers', start: T(22), exit: -15, pid: 0, duration: 0, attempts: [{ bytes: 0, duration: 0, exit: null }, { bytes: 999999999999999 }] });
  plant({ id: 'c6-sixteen-digits', start: T(22, 1), exit: 1234567890123456, duration: 1234567890123456, attempts: [{ duration: 1234567890123456 }] });
  // Texts JSON escapes, each as JSON.stringify escapes it: written from the packed row (see the last test).
  const controls = Array.from({ length: 32 }, (_, c) => String.fromCharCode(c)).join('');
  plant({ id: 'd1-quotes', job: 'j"q', host: 'h\\b', signal: '"', status: '\\', start: T(23), command: JSON.stringify(['sh', '-c', 'echo "x" \\ y']),
    attempts: [{ status: 'a"b', signal: '\\"' }] });
  plant({ id: 'd2-controls', job: `${controls}\u007f`, host: 'tab\there', signal: 'a\nb', status: 'st\r', start: T(23, 1),
    command: JSON.stringify([controls, '\t\n\r\b\f']), attempts: [{ status: controls, signal: '\u001f' }, { signal: '\u001e\u0000' }] });
  plant({ id: 'd3-unicode', job: 'é 😀 \u2028 \u2029 \ufffd', host: '\u{10ffff}', start: T(23, 2), command: JSON.stringify(['é😀', '\u2028\u2029', '\u007f']),
    attempts: [{ status: '\u{1f600}' }] });
  plant({ id: 'd4-lone-surrogates', job: 'x\ud800y', host: '\udfff', start: T(23, 3), attempts: [{}] });
  // Commands whose JSON reads as strings but is not JSON.stringify's text of them: read again, written as before.
  for (const [i, command] of ['["\\ud800"]', '["\\u0041"]', '["a\\/b"]', '["\\u001F"]', '["\\u2028"]', '["a\\u0009"]', '["\\u00e9"]'].entries()) {
    plant({ id: `d5-command-escape-${i}`, start: T(24, i), command, attempts: [{}] });
  }
  plant({ id: 'c3-blob-time', start: T(19), attempts: [{}] });
  execute(db, `UPDATE runs SET started_at = CAST(? AS BLOB) WHERE id = 'c3-blob-time'`, T(19));
});

/** What history --json wrote before it streamed packed rows: JSON.stringify(runJson(run)) of each listed record. */
const jsonOf = (runs: RunRecord[]) => (runs.length === 0 ? '[]\n' : `[\n${runs.map((r) => JSON.stringify(runJson(r))).join(',\n')}\n]\n`);

/** What history --csv writes of the runs, as stdout carries it (UTF-8: a lone surrogate of a command read from JSON becomes U+FFFD). */
const csvOf = (runs: RunRecord[]) => Buffer.from(historyCsvHeader() + runs.map(historyCsvRecord).join('')).toString();

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
  assert.equal(runs.length, 46);
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
  assert.equal(r.out, csvOf(runs));
  assert.equal(r.stderr, warningsOf(runs));
});

test('the JSON and CSV exports keep their order and every filter: JOB, --host, --status, --since, --until, --limit', async () => {
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
    const csv = await cronguard(['history', '--csv', ...args, '--db', db]);
    assert.equal(csv.out, csvOf(await recordedRuns(db, filter)), `--csv ${args.join(' ')}`);
  }
});

/** The ids of the runs a read of the store gives as SQLite wrote them (JSON text, CSV fields), sorted. */
async function writtenBySqlite(read: 'eachJson' | 'eachCsv'): Promise<string[]> {
  return (await readStore(db, async (store) => {
    const found: string[] = [];
    for await (const run of store.reads[read]({})) {
      if (typeof run === 'string') found.push((JSON.parse(run) as RunRecord).id);
      else if ('csvFields' in run) found.push(run.csvFields.replace(/^"/, '').split(',')[0] ?? ''); // enough of a quoted id for its prefix
    }
    return found.sort();
  })) ?? [];
}

/** Whether an id starts with one of the prefixes. */
const startsWithOne = (prefixes: string) => (id: string) => prefixes.split(' ').some((p) => id.startsWith(p));

test('SQLite writes the CSV fields of every run that needs no warning and holds no number JavaScript writes otherwise', async () => {
  const csv = await writtenBySqlite('eachCsv');
  for (const id of ['a1-plain-three-attempts', 'a5-weird-', 'b7-separators', 'c4-csv-commas', 'c6-small-numbers', 'd2-controls']) {
    assert.ok(csv.some(startsWithOne(id)), `${id} written by SQLite: ${csv.join(' ')}`);
  }
  assert.deepEqual(csv.filter(startsWithOne('b1- b2- b3- b4- b5- b6- c1- c3- c5-')), []);
});

test('SQLite writes the JSON of every run that needs no warning, escapes and all, in JSON.stringify\'s form only', async () => {
  const json = await writtenBySqlite('eachJson');
  for (const id of ['a1-plain-three-attempts', 'a5-weird-', 'a5-packed-', 'a6-escaped-command', 'b7-separators', 'd1-quotes', 'd2-controls', 'd3-unicode', 'd4-lone-surrogates']) {
    assert.ok(json.some(startsWithOne(id)), `${id} written by SQLite: ${json.join(' ')}`);
  }
  assert.deepEqual(json.filter(startsWithOne('a7- a8- a9- b1- b2- b3- b4- b5- b6- c1- c3- c4- c5- d5-')), []);
});
