import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { BIN, cronEnv, cronguard, cronguardJson, tempDir } from '../helpers/cli.ts';

const dir = tempDir();
interface StatusJson { jobs: Array<{ job: string }> }

test('a cronguard line that will fail under cron is warned about: not on the PATH, a bad full path, an unescaped %', async (t) => {
  if (['/usr/bin/cronguard', '/bin/cronguard'].some((p) => existsSync(p))) return t.skip('cronguard is installed on cron\'s default PATH here');
  const crontab = join(dir, 'path-crontab');
  const db = join(dir, 'path.db');
  writeFileSync(crontab, [
    '0 1 * * * cronguard --name bare -- /bin/true',
    `PATH=${dirname(BIN)}:/usr/bin:/bin`,
    '0 2 * * * cronguard --name found -- /bin/true',
    '0 3 * * * cronguard --name stamp -- date +%F',
    '0 4 * * * /nonexistent/bin/cronguard --name gone -- /bin/true',
    '',
  ].join('\n'));
  const sweep = (at: string) => cronguard(['sweep', '--cron', 'debian', '--crontab', crontab, '--db', db], { env: cronEnv({ CRONGUARD_TEST_NOW: at }) });
  const first = await sweep('2026-06-01T00:00:00Z');
  assert.equal(first.code, 1, first.stderr);
  const lines = first.stderr.trim().split('\n');
  assert.deepEqual(lines.map((l) => l.slice(0, `cronguard: ${crontab}:N`.length + 1)), [1, 4, 5].map((n) => `cronguard: ${crontab}:${n}:`));
  assert.match(lines[0] ?? '', /cron will not find "cronguard": no executable cronguard on this crontab's PATH \(\/usr\/bin:\/bin, cron's default\); give its full path \(e\.g\. \/usr\/local\/bin\/cronguard\)/);
  assert.match(lines[1] ?? '', /an unescaped % ends the command here .*write \\% for a literal %/);
  assert.match(lines[2] ?? '', /cron will not find "\/nonexistent\/bin\/cronguard"/);
  const again = await sweep('2026-06-01T00:30:00Z');
  assert.deepEqual([again.code, again.stderr], [0, ''], 'a warning is news once');
  const status = await cronguardJson<StatusJson>(['status', '--json'], db);
  assert.deepEqual(status.jobs.map((j) => j.job).sort(), ['bare', 'found', 'gone', 'stamp'], 'cron runs these lines, so they stay jobs');
});

test("root's sweep skips the /etc/cron.d files cron would skip, naming file and reason", async (t) => {
  if (process.getuid?.() !== 0) return t.skip('needs root (CI runs as root)');
  // Named like the real-cron tests' files, so that a copy of this test that died is cleaned up by them.
  const tag = `cronguard-test-${process.pid}`;
  const user = `cgi12u${process.pid}`;
  const made = spawnSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', user], { encoding: 'utf8' });
  assert.equal(made.status, 0, made.stderr);
  const files: string[] = [];
  t.after(() => {
    for (const f of files) rmSync(f, { force: true });
    spawnSync('userdel', [user]);
  });
  const uid = Number(spawnSync('id', ['-u', user], { encoding: 'utf8' }).stdout.trim());
  // 31 February: cron accepts the line and never runs it, should a cron daemon be reading /etc/cron.d now.
  const plant = (name: string, mode: number, owner: number) => {
    const file = `/etc/cron.d/${name}`;
    files.push(file);
    writeFileSync(file, `0 5 31 2 * root ${BIN} --name ${name.replace('.', '_')} -- /bin/true\n`);
    chownSync(file, owner, 0);
    chmodSync(file, mode);
    return file;
  };
  const owned = plant(`${tag}-owned`, 0o644, uid);
  const writable = plant(`${tag}-writable`, 0o666, 0);
  const dotted = plant(`${tag}.dotted`, 0o644, 0);
  plant(`${tag}-good`, 0o644, 0);
  const sweep = async (cron: string) => {
    const db = join(dir, `cron-d-${cron}.db`);
    const r = await cronguard(['sweep', '--cron', cron, '--db', db]);
    const jobs = (await cronguardJson<StatusJson>(['status', '--json'], db)).jobs.map((j) => j.job).filter((j) => j.startsWith(tag));
    return { stderr: r.stderr, jobs };
  };
  const debian = await sweep('debian');
  assert.deepEqual(debian.jobs, [`${tag}-good`]);
  assert.match(debian.stderr, new RegExp(`^cronguard: ${owned}: skipped: cron does not read it: it is owned by uid ${uid}, not root$`, 'm'));
  assert.match(debian.stderr, new RegExp(`^cronguard: ${writable}: skipped: cron does not read it: its mode 0666 lets others write it$`, 'm'));
  assert.match(debian.stderr, new RegExp(`^cronguard: ${dotted.replace('.', '\\.')}: skipped: cron does not read it: Debian's cron reads only file names made of letters, digits, "_" and "-"$`, 'm'));
  const cronie = await sweep('cronie');
  assert.deepEqual(cronie.jobs, [`${tag}-good`, `${tag}_dotted`].sort(), 'cronie reads a name with a dot');
  assert.match(cronie.stderr, new RegExp(`^cronguard: ${writable}: skipped: cron does not read it: its mode 0666 is not one cronie accepts`, 'm'));
});

test('only lines where the shell runs cronguard become jobs: no phantom from logger -t cronguard, the guarded ones watched', async () => {
  const crontab = join(dir, 'position-crontab');
  const db = join(dir, 'position.db');
  writeFileSync(crontab, [
    `PATH=${dirname(BIN)}:/usr/bin:/bin`,
    '0 21 * * * logger -t cronguard "nightly check done"',
    '0 1 * * * tar czf /tmp/x.tgz /var/lib/cronguard',
    '0 2 * * * echo cronguard sweep ran',
    `0 3 * * * test -x ${BIN} && ${BIN} --name guarded -- /bin/true`,
    '0 4 * * * if command -v cronguard >/dev/null; then cronguard --name iff -- /bin/true; fi',
    `0 5 * * * [ -x ${BIN} ] && cronguard --name bracket -- /bin/true`,
    '',
  ].join('\n'));
  const swept = await cronguard(['sweep', '--cron', 'cronie', '--crontab', crontab, '--db', db]);
  assert.deepEqual([swept.code, swept.stderr], [0, '']);
  const status = await cronguardJson<StatusJson>(['status', '--json'], db);
  assert.deepEqual(status.jobs.map((j) => j.job), ['bracket', 'guarded', 'iff']);
});
