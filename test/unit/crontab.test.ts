import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { simpleCommands } from '../../src/schedule/shell.ts';
import { cronguardInvocations } from '../../src/schedule/shell-invocation.ts';
import { reader } from '../helpers/crontab.ts';
import { parseInstant } from '../../src/shared/instant.ts';
import { derivedName } from '../../src/shared/job-name.ts';
import { crontabJobsFor } from '../../src/sweep/sources.ts';
import { fixture } from '../helpers/cli.ts';

const read = (name: string, system = false) => reader({ system, flavour: 'cronie' })(readFileSync(fixture(name), 'utf8'), name);
const parseCrontab = (text: string, label: string, system: boolean) => reader({ system })(text, label);
const cronguardArgs = (line: string) => cronguardInvocations(line)[0]?.args ?? null;

test('a crontab with every kind of line yields its cronguard jobs, with schedule, zone and source', () => {
  const { jobs, warnings } = read('crontab-every-kind');
  assert.deepEqual(warnings, ['crontab-every-kind:12: an unescaped % ends the command here (cron feeds the rest to its stdin): write \\% for a literal %']);
  const brief = jobs.map((j) => [j.name, j.schedule, j.tz, j.graceMs, j.source]);
  assert.deepEqual(brief, [
    ['backup', '*/15 * * * *', null, null, 'crontab-every-kind:6'],
    ['report', '0 3 * * *', null, null, 'crontab-every-kind:7'],
    ['app-sync', '30 2 * * 1-5', null, 900_000, 'crontab-every-kind:8'],
    [derivedName(['/usr/bin/find', '/tmp', '-mtime', '+7', '-delete']), '@daily', null, null, 'crontab-every-kind:9'],
    ['warmup', '@reboot', null, null, 'crontab-every-kind:10'],
    // `\%` is a literal %, the first bare % ends the command: the argv is exactly [date, +%s].
    [derivedName(['date', '+%s']), '0 6 * * *', 'Europe/Berlin', null, 'crontab-every-kind:12'],
    ['weekly', '5 4 * * sun', 'Europe/Berlin', null, 'crontab-every-kind:13'],
    ['hourly-ny', '@hourly', 'America/New_York', null, 'crontab-every-kind:17'],
  ]);
  assert.ok(jobs.every((j) => j.user === null && j.db === null));
});

test('garbage lines are reported with file and line, and the good line after them still counts', () => {
  const { jobs, warnings } = read('crontab-garbage');
  assert.deepEqual(jobs.map((j) => [j.name, j.tz]), [['survivor', 'UTC']], 'cronie runs lines after an unknown CRON_TZ in UTC');
  const lines = warnings.map((w) => w.split(':').slice(0, 2).join(':'));
  assert.deepEqual(lines, [1, 2, 3, 4, 5, 6, 7, 8, 10].map((n) => `crontab-garbage:${n}`));
  assert.match(warnings[0] ?? '', /cron refuses this line \(bad minute "this"\)/);
  assert.match(warnings[1] ?? '', /bad minute "61"/);
  assert.match(warnings[2] ?? '', /bad month "cronguard"/);
  assert.match(warnings[3] ?? '', /bad time specifier "@every5m"/);
  assert.match(warnings[4] ?? '', /CRON_TZ "Mars\/Olympus_Mons"/);
  assert.match(warnings[5] ?? '', /unknown option "--bogus"/);
  assert.match(warnings[6] ?? '', /--name "bad name!"/);
  assert.match(warnings[7] ?? '', /bad command/);
});

test('a system crontab has a user column; a --crontab file elsewhere tolerates one; crontab -l is told cron runs the user', () => {
  const text = readFileSync(fixture('crontab-system'), 'utf8');
  const system = read('crontab-system', true);
  assert.deepEqual(system.warnings, []);
  assert.deepEqual(system.jobs.map((j) => [j.name, j.schedule, j.user]), [['nightly-root', '0 4 * * *', 'root'], ['web-cache', '0 5 * * *', 'www-data']]);
  const tolerated = reader({ userColumnMaybe: true })(text, 'copy');
  assert.deepEqual(tolerated.jobs.map((j) => [j.name, j.user]), [['nightly-root', 'root'], ['web-cache', 'www-data']]);
  const userCrontab = reader()(text, 'crontab -l');
  assert.deepEqual(userCrontab.jobs, []);
  assert.deepEqual(userCrontab.warnings.map((w) => w.slice(0, 40)), ['crontab -l:5: cron runs "root" as the co', 'crontab -l:6: cron runs "www-data" as th']);
});

test('CRONGUARD_DB and --db say which database a line records into', () => {
  const { jobs } = parseCrontab('CRONGUARD_DB=/srv/a.db\n* * * * * cronguard --name a -- x\n* * * * * cronguard --db /srv/b.db --name b -- x\n', 'c', false);
  assert.deepEqual(jobs.map((j) => j.db), ['/srv/a.db', '/srv/b.db']);
});

test('an unnamed job whose command the shell expands is flagged, since its derived name is uncertain', () => {
  const { jobs, warnings } = parseCrontab('0 1 * * * cronguard -- $HOME/bin/job\n0 2 * * * cronguard -- \'$HOME\'/bin/job\n', 'c', false);
  assert.equal(jobs.length, 2);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /^c:1: .*--name/);
});

test('shell words: quotes, escapes, operators and redirections', () => {
  const words = (line: string) => simpleCommands(line).map((c) => c.map((w) => w.text));
  assert.deepEqual(words(`a 'b c' "d \\"e\\"" f\\ g`), [['a', 'b c', 'd "e"', 'f g']]);
  assert.deepEqual(words('cd /x && run a>/dev/null 2>&1 | tee log; b < in > out # comment'), [['cd', '/x'], ['run', 'a'], ['tee', 'log'], ['b']]);
  assert.deepEqual(words('x $(echo a b) `c d` e'), [['x', '$(echo a b)', '`c d`', 'e']]);
  assert.deepEqual(cronguardArgs('nice -n 5 /opt/cg/bin/cronguard --name n -- job 2>>err')?.map((w) => w.text), ['--name', 'n', '--', 'job']);
  assert.deepEqual(cronguardArgs(`sh -c "cd /srv && cronguard --name s -- make"`)?.map((w) => w.text), ['--name', 's', '--', 'make']);
  assert.equal(cronguardArgs('/usr/bin/cronguard-not -- x'), null);
  assert.equal(cronguardArgs('echo hello'), null);
});

test('only the lines recording into this database count: --db, CRONGUARD_DB, and the user column', () => {
  const reading = parseCrontab([
    '0 1 * * * root cronguard --name mine -- x',
    '0 2 * * * www-data cronguard --name theirs -- x',
    '0 3 * * * www-data cronguard --db /var/lib/cronguard/cronguard.db --name shared -- x',
    '0 4 * * * root cronguard --db /elsewhere.db --name elsewhere -- x',
    '0 5 * * * root cronguard --name mine -- x',
    '',
  ].join('\n'), '/etc/crontab', true);
  const seen = crontabJobsFor(reading, { kind: 'sqlite', path: '/var/lib/cronguard/cronguard.db' }, 'root');
  assert.deepEqual(seen.map((j) => [j.name, j.schedules.map((s) => s.schedule)]), [['mine', ['0 1 * * *', '0 5 * * *']], ['shared', ['0 3 * * *']]]);
});

test('--at reads ISO-8601: local time unless it carries an offset', () => {
  assert.equal(parseInstant('--at', '2026-03-08T03:10:00Z').toISOString(), '2026-03-08T03:10:00.000Z');
  assert.equal(parseInstant('--at', '2026-03-08T03:10+01:00').toISOString(), '2026-03-08T02:10:00.000Z');
  assert.equal(parseInstant('--at', '2026-03-08 03:10:05.5-0500').toISOString(), '2026-03-08T08:10:05.500Z');
  assert.equal(parseInstant('--at', '2026-03-08T03:10').getTime(), new Date(2026, 2, 8, 3, 10).getTime());
  assert.equal(parseInstant('--at', '2026-03-08').getTime(), new Date(2026, 2, 8).getTime());
  for (const bad of ['yesterday', '2026-02-30', '2026-03-08T25:00', '2026-3-8', '']) assert.throws(() => parseInstant('--at', bad), /--at/);
});
