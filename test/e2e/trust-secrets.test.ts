import assert from 'node:assert/strict';
import { chmodSync, chownSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronEnv, cronguard, tempDir, waitFor } from '../helpers/cli.ts';
import { startServer } from '../helpers/http.ts';

// SPEC §9: every ping URL, webhook URL and notify command can stay off the command line.
const dir = tempDir();
const TOKEN = 'tok-5ecr3t-4242';

/** A file holding `text`, with `mode`. */
function secretFile(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

/** Runs a job that waits for a go file, reads cronguard's own /proc/PID/cmdline meanwhile, and lets it finish. */
async function cmdlineWhileRunning(args: string[], env: NodeJS.ProcessEnv, name: string): Promise<{ cmdline: string; code: number | null }> {
  const started = join(dir, `${name}.started`);
  const go = join(dir, `${name}.go`);
  let cmdline = '';
  const run = cronguard(['--db', join(dir, 'cg.db'), ...args, '--', 'sh', '-c', `touch ${started}; while [ ! -e ${go} ]; do sleep 0.05; done`], {
    env, limitMs: 60_000,
    onSpawn: (pid) => {
      void waitFor(() => existsSync(started), 30_000, 'the job to start').then(() => {
        cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        writeFileSync(go, '');
      });
    },
  });
  const r = await run;
  return { cmdline, code: r.code };
}

test('--ping @file and CRONGUARD_PING_URL keep the token out of /proc/PID/cmdline, and the pings still go to it', async () => {
  const server = await startServer();
  const file = secretFile('ping', `${server.url}/${TOKEN}\n`);
  const viaFile = await cmdlineWhileRunning(['--ping', `@${file}`], cronEnv(), 'file');
  assert.equal(viaFile.code, 0);
  assert.ok(viaFile.cmdline.includes(`@${file}`), 'the cmdline was read');
  assert.ok(!viaFile.cmdline.includes(TOKEN), viaFile.cmdline);
  const viaEnv = await cmdlineWhileRunning([], cronEnv({ CRONGUARD_PING_URL: `${server.url}/${TOKEN}` }), 'env');
  assert.equal(viaEnv.code, 0);
  assert.ok(viaEnv.cmdline.includes('cronguard'), 'the cmdline was read');
  assert.ok(!viaEnv.cmdline.includes(TOKEN), viaEnv.cmdline);
  const paths = server.received.map((x) => x.path.split('?')[0]);
  assert.deepEqual(paths, [`/${TOKEN}/start`, `/${TOKEN}`, `/${TOKEN}/start`, `/${TOKEN}`]);
});

test('a secret file readable by others, or belonging to another user, is refused with 125 and nothing runs', async () => {
  const server = await startServer();
  const marker = join(dir, 'ran');
  const open = secretFile('open', `${server.url}/${TOKEN}`, 0o644);
  const r = await cronguard(['--ping', `@${open}`, '--db', join(dir, 'cg.db'), '--', 'touch', marker]);
  assert.equal(r.code, 125);
  assert.match(r.stderr, /^cronguard: --ping "@\/.*open": the file is readable or writable by group or others \(mode 0644\); chmod 600 it\n$/);
  assert.ok(!r.stderr.includes(TOKEN));
  const cmd = secretFile('cmd-open', 'touch /nonexistent', 0o660);
  const n = await cronguard(['--notify-command', `@${cmd}`, '--db', join(dir, 'cg.db'), '--', 'touch', marker]);
  assert.equal(n.code, 125);
  assert.match(n.stderr, /--notify-command "@.*cmd-open": the file is readable or writable/);
  const bad = secretFile('not-a-url', `ftp://${TOKEN}`);
  const u = await cronguard(['--notify-url', `@${bad}`, '--db', join(dir, 'cg.db'), '--', 'touch', marker]);
  assert.equal(u.code, 125);
  assert.match(u.stderr, /the file does not hold an absolute http/);
  assert.ok(!u.stderr.includes(TOKEN), 'the file\'s content is never quoted');
  if (process.geteuid?.() === 0) {
    const theirs = secretFile('theirs', `${server.url}/${TOKEN}`);
    chownSync(theirs, 54_321, 54_321);
    const o = await cronguard(['--ping', `@${theirs}`, '--db', join(dir, 'cg.db'), '--', 'touch', marker]);
    assert.equal(o.code, 125);
    assert.match(o.stderr, /the file belongs to uid 54321, not to you \(uid 0\) or root/);
  }
  assert.equal(existsSync(marker), false, 'nothing ran');
  assert.equal(server.received.length, 0);
  // In the environment the same file only warns: a crontab-wide variable must not stop every job.
  const e = await cronguard(['--db', join(dir, 'cg.db'), '--', 'touch', marker], { env: cronEnv({ CRONGUARD_PING_URL: `@${open}` }) });
  assert.equal(e.code, 0);
  assert.match(e.stderr, /^cronguard: CRONGUARD_PING_URL "@.*": the file is readable .*\(environment variable ignored\)\n$/);
  assert.ok(existsSync(marker));
});

test('--notify-command @file runs the command from the file, and the shell\'s own cmdline does not show it', async () => {
  const out = join(dir, 'notified');
  const cmd = secretFile('notify-cmd', `cat /proc/$$/cmdline > ${out}; echo ${TOKEN} >> ${out}.token\n`);
  const r = await cronguard(['--db', join(dir, 'cg.db'), '--notify-command', `@${cmd}`, '--', 'sh', '-c', 'exit 3'], { env: cronEnv(), limitMs: 60_000 });
  assert.equal(r.code, 3, r.stderr);
  assert.equal(readFileSync(`${out}.token`, 'utf8'), `${TOKEN}\n`, 'the command from the file ran');
  const shell = readFileSync(out, 'utf8');
  assert.match(shell, /CRONGUARD_NOTIFY_COMMAND/);
  assert.ok(!shell.includes(TOKEN), shell);
});
