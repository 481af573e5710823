import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronEnv, cronguard, tempDir } from '../helpers/cli.ts';
import { execute } from '../helpers/db.ts';
import { HAS_SCRIPT, onTerminal } from '../helpers/forensics.ts';

// SPEC §9: every field a human view shows on a terminal, whoever wrote it, has its control characters
// neutralised; error messages quote values on one line.
const dir = tempDir();
const db = join(dir, 'planted.db');
const ESC = '\x1b';
/** What a planted field carries: a screen clear, an OSC 52 clipboard write, a CSI as C1, a bidi override. */
const EVIL = `${ESC}[2J${ESC}]52;c;cHduZWQ=\x07\u009b31m\u202eevil`;
const ID = 'abcd0000-0000-4000-8000-00000000e71c';

/** The database with rows another user planted in every field the views show. */
async function plantedDatabase(): Promise<void> {
  const seed = await cronguard(['--db', db, '--name', 'seed', '--', 'true']);
  assert.equal(seed.code, 0, seed.stderr);
  execute(db, `INSERT INTO runs (id, job, status, exit_code, signal, started_at, heartbeat_at, ended_at, duration_ms, host, pid,
    pid_start, pgid, command, timeout_ms, kill_after_ms, heartbeat_ms, reason) VALUES (?, ?, 'killed', NULL, ?, '2026-01-01T00:00:00.000Z',
    '2026-01-01T00:00:01.000Z', '2026-01-01T00:00:01.000Z', 1000, ?, 1, NULL, NULL, ?, NULL, 10000, 30000, ?)`,
  ID, `job${EVIL}`, `SIG${EVIL}`, `host${EVIL}`, JSON.stringify(['cmd', EVIL]), `reason${EVIL}`);
  execute(db, `INSERT INTO attempts (run_id, n, status, exit_code, signal, started_at, ended_at, duration_ms, output_bytes, reason, output)
    VALUES (?, 1, ?, NULL, ?, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:01.000Z', 1000, 5, NULL, ?)`, ID, `killed${EVIL}`, `SIG${EVIL}`, Buffer.from(`out${EVIL}\n`));
  execute(db, `INSERT INTO runs (id, job, status, exit_code, signal, started_at, heartbeat_at, ended_at, duration_ms, host, pid,
    pid_start, pgid, command, timeout_ms, kill_after_ms, heartbeat_ms, reason) VALUES ('abcd1111-0000-4000-8000-00000000e71c', ?, ?, 1, NULL,
    '2026-01-01T00:01:00.000Z', '2026-01-01T00:01:01.000Z', '2026-01-01T00:01:01.000Z', 1000, 'h', 1, NULL, NULL, '["x"]', NULL, 10000, 30000, NULL)`,
  `job${EVIL}`, `status${EVIL}`);
  execute(db, `INSERT INTO jobs (name, schedule, tz, grace_ms, first_seen_at, updated_at) VALUES (?, ?, ?, NULL, '2025-01-01T00:00:00.000Z',
    '2025-01-01T00:00:00.000Z') ON CONFLICT (name) DO UPDATE SET schedule = excluded.schedule, tz = excluded.tz`, `job${EVIL}`, `* * * * *${EVIL}`, `UTC${EVIL}`);
}

/** The terminal's bytes without cronguard's own colours: what must hold no control character of a planted row. */
function withoutOwnColours(out: string): string {
  // eslint-disable-next-line no-control-regex
  return out.replace(/\x1b\[[0-9;]*m/g, '');
}

test('every human view under a pty shows planted ESC, OSC 52, C1 and bidi characters, never obeys them', { skip: !HAS_SCRIPT && 'no script(1)' }, async () => {
  await plantedDatabase();
  const views = [
    ['history'], ['history', `job${EVIL}`], ['show', 'abcd0000'], ['show', 'abcd'], ['status'], ['stats'], ['sweep', '--all'], ['metrics'],
  ];
  for (const view of views) {
    const r = onTerminal([...view, '--db', db], cronEnv({ TERM: 'xterm-256color' }));
    const out = withoutOwnColours(r.out);
    assert.ok(out.length > 0, `${view.join(' ')} printed something`);
    assert.doesNotMatch(out, /\x1b/, `${view.join(' ')}: no raw ESC\n${JSON.stringify(out)}`);
    assert.doesNotMatch(out, /[\u0080-\u009f]/, `${view.join(' ')}: no raw C1`);
    assert.doesNotMatch(out, /[\u202a-\u202e\u2066-\u2069]/, `${view.join(' ')}: no bidi override`);
  }
  const history = onTerminal(['history', '--db', db]).out;
  assert.match(history, /job\^\[\[2J\^\[\]52;c;cHduZWQ=\^G<U\+009B>31m<U\+202E>evil/, 'the planted text is shown, escaped');
  assert.match(history, /SIG\^\[\[2J/, 'the EXIT column (signal) too');
});

test('an error message quoting a value is one line, with its control characters escaped', async () => {
  const r = await cronguard(['history', '--db', db, '--status', `a\nb${ESC}[2J\u009b\u202e`]);
  assert.equal(r.code, 125);
  assert.equal(r.stderr.split('\n').length, 2, JSON.stringify(r.stderr));
  assert.doesNotMatch(r.stderr, /\x1b|[\u0080-\u009f]|\u202e/);
  assert.match(r.stderr, /^cronguard: --status "a\\nb\\u001b\[2J\\u009b\\u202e": "a\\nb\\u001b\[2J\\u009b\\u202e" is not a status/i);
});

test('the failure report, which cron mails, keeps the command\'s output as it came', async () => {
  const r = await cronguard(['--db', db, '--name', 'raw', '--', 'printf', `out${EVIL}`]);
  assert.equal(r.code, 0);
  const failing = await cronguard(['--db', db, '--name', 'raw', '--', 'sh', '-c', `printf '%s' "$0"; exit 3`, `out${EVIL}`]);
  assert.equal(failing.code, 3);
  assert.ok(failing.out.includes(`out${EVIL}`), 'the output bytes are in the report unchanged');
});
