import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT, tempDir, waitFor } from '../helpers/cli.ts';
import { earlyInAMinute, ensureCron, installSendmail, readFileSafe, takeRealCronTurn } from '../helpers/cron.ts';

/** Why the test cannot run here, or null. */
function missing(): string | null {
  if (process.getuid?.() !== 0) return 'not root (the test writes /etc/cron.d and may start cron)';
  if (!existsSync('/usr/sbin/cron')) return 'no /usr/sbin/cron (apt-get install cron; .ci/run does)';
  if (!existsSync('/etc/cron.d')) return 'no /etc/cron.d';
  return null;
}

interface Run { job: string; status: string; exitCode: number | null; attempts: unknown[] }

test('under a real cron daemon: a quiet success, a failure mailed through MAILTO, a sweep', { timeout: 600_000 }, async (t) => {
  const undo = await takeRealCronTurn(t, missing());
  if (!undo) return;

  const work = tempDir('cronguard-cron-');
  chmodSync(work, 0o755);
  const prefix = join(work, 'prefix');
  // Staging copies node_modules and prunes it: over a minute when the machine is busy (install.sh turns the
  // timeout's SIGTERM into exit 1, so the error says which it was).
  const install = spawnSync('sh', [join(ROOT, 'install.sh'), '--prefix', prefix], { encoding: 'utf8', timeout: 240_000 });
  assert.equal(install.status, 0, `${install.error?.message ?? ''} ${install.stderr}`);
  const cg = join(prefix, 'bin', 'cronguard');
  const db = join(work, 'cron.db');
  const mailbox = join(work, 'mail.txt');
  const envFile = join(work, 'env.txt');
  const sweepOut = join(work, 'sweep.out');
  const sweepRc = join(work, 'sweep.rc');

  const removeSendmail = installSendmail(mailbox);
  if (removeSendmail) undo.push(removeSendmail);
  else t.diagnostic('a real /usr/sbin/sendmail exists: the mailed report is not checked');

  // An /etc/cron.d file rather than root's crontab: nobody's own crontab is touched.
  const crontab = `/etc/cron.d/cronguard-test-${process.pid}`;
  undo.push(() => { if (existsSync(crontab)) unlinkSync(crontab); });
  const turn = await earlyInAMinute();
  writeFileSync(crontab, [
    'MAILTO=cronguard-test@localhost',
    `* * * * * root ${cg} --db ${db} --name cron-ok -- sh -c 'env > ${envFile}'`,
    `* * * * * root ${cg} --db ${db} --name cron-fail --retries 1 --retry-delay 100ms -- sh -c 'echo broken-CANARY; exit 3'`,
    `* * * * * root ${cg} sweep --db ${db} --crontab ${crontab} > ${sweepOut} 2>&1; echo $? > ${sweepRc}`,
    '',
  ].join('\n'), { mode: 0o644 });
  ensureCron(undo);

  // Poll until cron ran all three lines (and the mail arrived), at most 40 s past the minute's turn.
  const runs = (): Run[] => {
    if (!existsSync(db)) return [];
    const r = spawnSync(cg, ['history', '--json', '--db', db], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
    return r.status === 0 ? (JSON.parse(r.stdout) as Run[]) : [];
  };
  const done = (): boolean => {
    const finished = runs().filter((r) => r.status !== 'running').map((r) => r.job);
    return finished.includes('cron-ok') && finished.includes('cron-fail') && existsSync(sweepRc)
      && (!removeSendmail || readFileSafe(mailbox).includes('broken-CANARY'));
  };
  await waitFor(() => done() || Date.now() > turn + 40_000, 120_000, 'cron to run the lines', 1000);
  unlinkSync(crontab); // before the next minute can run the lines again
  t.diagnostic(`cron ran the lines ${((Date.now() - turn) / 1000).toFixed(1)} s after the minute turned`);

  const all = runs();
  assert.ok(all.length > 0, 'cron ran nothing: is the daemon working here (in a container, PAM\'s pam_loginuid may stop it)?');
  const ok = all.filter((r) => r.job === 'cron-ok');
  const failed = all.filter((r) => r.job === 'cron-fail');
  assert.ok(ok.length >= 1 && ok.every((r) => r.status === 'success' && r.exitCode === 0), JSON.stringify(ok));
  assert.ok(failed.length >= 1 && failed.every((r) => r.status === 'failed' && r.exitCode === 3 && r.attempts.length === 2), JSON.stringify(failed));
  // The job saw cron's own environment, not the test's.
  assert.match(readFileSafe(envFile), /^PATH=\/usr\/bin:\/bin$/m);
  assert.doesNotMatch(readFileSafe(envFile), /^TERM=/m);

  const rc = readFileSafe(sweepRc).trim();
  assert.ok(rc === '0' || rc === '1', `sweep exited ${rc}: ${readFileSafe(sweepOut)}`);

  if (removeSendmail) {
    const mails = readFileSafe(mailbox).split(/^=== sendmail /m).filter(Boolean);
    const failure = mails.find((m) => m.includes('cron-fail'));
    assert.ok(failure, `a mail for the failing job: ${readFileSafe(mailbox)}`);
    assert.match(failure, /cronguard-test@localhost/);
    assert.match(failure, /cronguard: job cron-fail failed \(exit 3\)[\s\S]*broken-CANARY/);
    assert.ok(!mails.some((m) => /^Subject: .*cron-ok/m.test(m)), 'no mail for the quiet success');
  }
});
