import assert from 'node:assert/strict';
import { chmodSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cronguard, tempDir, waitFor } from '../helpers/cli.ts';
import { cronJobsRunning, earlyInAMinute, ensureCron, readFileSafe, takeRealCronTurn } from '../helpers/cron.ts';

/**
 * The crontab reader against the real thing: /etc/cron.d files that Debian's cron runs or ignores, each of
 * whose lines touches a marker. After one minute the markers say which files cron ran; sweep's reader must
 * have predicted exactly those (a file it warns cron ignores, or skips, must not have run; the rest must have).
 */
test("Debian's cron runs exactly the cron.d files sweep's reader says it reads", { timeout: 300_000 }, async (t) => {
  const missing = process.getuid?.() !== 0 || !existsSync('/usr/sbin/cron') || !existsSync('/etc/cron.d')
    ? "not root or no Debian's cron (apt-get install cron; .ci/run does)" : null;
  const undo = await takeRealCronTurn(t, missing);
  if (!undo) return;
  const marks = tempDir('cronguard-cron-marks-');
  chmodSync(marks, 0o755);
  const tag = `cronguard-test-${process.pid}`;
  const touch = (name: string) => `* * * * * root touch ${join(marks, name)}`;
  // name -> [file text, mode, does Debian's cron run it]
  const files: Record<string, [string, number, boolean]> = {
    good: [`${touch('good')}\n`, 0o644, true],
    badline: [`${touch('badline')}\n1/5 * * * * root true\n`, 0o644, false],
    nonl: [`${touch('nonl')}\n${touch('nonl2')}`, 0o644, false],
    crlfcmd: [`${touch('crlfcmd')}\r\n`, 0o644, true],
    crlfblank: [`${touch('crlfblank')}\n\r\n`, 0o644, false],
    crontz: [`CRON_TZ=Asia/Tokyo\n${touch('crontz')}\n`, 0o644, true],
    emptyvar: [`MAILTO=\n${touch('emptyvar')}\n`, 0o644, false],
    quotedvar: [`"MAILTO"=''\n${touch('quotedvar')}\n`, 0o644, true],
    alias: [`@Hourly root true\n${touch('alias')}\n`, 0o644, false],
    nbsp: [`*\u00A0* * * * root true\n${touch('nbsp')}\n`, 0o644, false],
    bom: [`\uFEFF${touch('bom')}\n`, 0o644, false],
    dashn: [`${touch('dashn').replace(' root ', ' -n root ')}\n${touch('dashn2')}\n`, 0o644, false],
    long: [`${touch('long')} #${'x'.repeat(1000)}\n`, 0o644, false],
    mode: [`${touch('mode')}\n`, 0o666, false],
    'dot.ted': [`${touch('dotted')}\n`, 0o644, false],
  };
  const path = (name: string) => `/etc/cron.d/${tag}-${name}`;
  const turn = await earlyInAMinute();
  for (const [name, [text, mode]] of Object.entries(files)) {
    undo.push(() => rmSync(path(name), { force: true }));
    writeFileSync(path(name), text);
    chmodSync(path(name), mode);
  }
  ensureCron(undo);
  const swept = await cronguard(['sweep', '--cron', 'debian', '--db', join(marks, 'sweep.db')]);
  const predicted = (name: string): boolean => {
    const lines = swept.stderr.split('\n').filter((l) => l.startsWith(`cronguard: ${path(name)}:`));
    return !lines.some((l) => /Debian's cron ignores this whole file|and Debian's cron the whole file|: skipped: /.test(l));
  };
  const marker = (name: string) => (name === 'crlfcmd' ? join(marks, 'crlfcmd\r') : join(marks, name === 'dot.ted' ? 'dotted' : name));
  const runs = Object.keys(files).filter((n) => files[n]?.[2]);
  await waitFor(() => runs.every((n) => existsSync(marker(n))) || Date.now() > turn + 40_000, 120_000, 'the files cron runs to have run', 500);
  // Cron starts every job of a minute in one pass: once that pass's jobs have all ended, a file it ignored
  // has had its chance to run.
  await waitFor(() => !cronJobsRunning(), 60_000, "cron's jobs of this minute to end");
  for (const name of Object.keys(files)) rmSync(path(name), { force: true });
  const ran = Object.keys(files).filter((n) => existsSync(marker(n)));
  assert.ok(ran.length > 0, `cron ran nothing: is the daemon working here? ${readFileSafe('/var/log/syslog').slice(-500)}`);
  assert.deepEqual(ran, runs, "which files Debian's cron ran");
  assert.deepEqual(Object.keys(files).filter(predicted), runs, "which files sweep's reader says Debian's cron reads");
  assert.ok(!existsSync(join(marks, 'crlfcmd')), 'cron kept the \\r in the last argument');
});
