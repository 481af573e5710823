import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readAssignment } from '../../src/schedule/cron-env.ts';
import { compileSchedule, expectedStarts } from '../../src/schedule/walk.ts';
import { systemZone } from '../../src/schedule/zone.ts';
import { derivedName } from '../../src/shared/job-name.ts';
import type { JobFacts } from '../../src/shared/sweep-model.ts';
import { targetOf, type StoreTarget } from '../../src/store/target.ts';
import { judgeOverdue, ScheduleCache } from '../../src/sweep/overdue.ts';
import { crontabJobsFor } from '../../src/sweep/sources.ts';
import { reader } from '../helpers/crontab.ts';

const cronie = reader({ flavour: 'cronie' });
const debian = reader({ flavour: 'debian' });
const names = (text: string, read = cronie) => read(text).jobs.map((j) => j.name);

test('finding 1: cronguard counts only where the shell runs it as a command', () => {
  const lines = [
    '0 21 * * * logger -t cronguard "nightly check done"',
    '0 1 * * * tar czf /tmp/x.tgz /var/lib/cronguard',
    '0 2 * * * echo cronguard sweep ran',
    '0 3 * * * test -x /usr/local/bin/cronguard && /usr/local/bin/cronguard --name guarded -- /bin/true',
    '0 4 * * * if command -v cronguard >/dev/null; then cronguard --name iff -- /bin/true; fi',
    '0 5 * * * [ -x /usr/local/bin/cronguard ] && cronguard --name bracket -- /bin/true',
    '0 6 * * * cd /srv || exit 1; LANG=C nice -n 5 ionice -c3 flock -w 10 /tmp/l timeout 1h cronguard --name wrapped -- ./job',
    '0 7 * * * ! /usr/local/bin/cronguard --name negated -- /bin/false | logger -t cronguard',
    "0 8 * * * su -s /bin/sh nobody -c 'cronguard --name su-c -- id' ; bash -lc \"env PATH=/usr/bin cronguard --name bash-c -- id\"",
    '0 9 * * * while true; do cronguard --name loop -- /bin/true; break; done',
    '',
  ].join('\n');
  const { jobs, warnings } = cronie(lines);
  assert.deepEqual(jobs.map((j) => [j.name, j.source]), [
    ['guarded', 'c:4'], ['iff', 'c:5'], ['bracket', 'c:6'], ['wrapped', 'c:7'], ['negated', 'c:8'], ['su-c', 'c:9'], ['bash-c', 'c:9'], ['loop', 'c:10'],
  ]);
  assert.deepEqual(warnings, [], 'no false warning for a word that merely mentions cronguard');
});

test('finding 2: lines cron refuses are warnings with FILE:LINE, never jobs (cronie skips the line)', () => {
  const { jobs, warnings } = cronie([
    '1/5 * * * * cronguard --name step -- /bin/true',
    '@Daily cronguard --name alias-case -- /bin/true',
    '\u00A00 5 * * * cronguard --name nbsp-lead -- /bin/true',
    '0 5\u00A0* * * cronguard --name nbsp -- /bin/true',
    '-0 6 * * * cronguard --name quiet -- /bin/true',
    '*/5 * * * * cronguard --name ok -- /bin/true',
    '',
  ].join('\n'));
  assert.deepEqual(jobs.map((j) => j.name), ['ok']);
  assert.deepEqual(warnings.map((w) => w.replace(/ \(cronie.*/, '')), [
    'c:1: cron refuses this line (bad minute "1/5")',
    'c:2: cron refuses this line (bad time specifier "@Daily")',
    'c:3: cron refuses this line (bad minute "\u00A00")',
    'c:4: cron refuses this line (bad hour "5\u00A0*")',
    'c:5: cron refuses this line (bad option: only root may start a line with "-"',
  ]);
});

test("finding 2: Debian's cron ignores the whole file after one refused line or a missing last newline", () => {
  const good = '0 1 * * * cronguard --name good -- /bin/true\n';
  for (const [bad, why] of [['1/5 * * * * /bin/true\n', 'bad minute "1/5"'], ['MAILTO=\n', 'bad minute "MAILTO="'], ['\r\n', 'bad minute'], ['-0 6 * * * /bin/true\n', 'bad minute']]) {
    const r = debian(good + bad);
    assert.deepEqual(r.jobs, [], bad);
    assert.match(r.warnings.at(-1) ?? '', new RegExp(`^c:2: cron refuses this line \\(${why}.*ignores this whole file`));
  }
  assert.deepEqual(names(good + '0 2 * * * cronguard --name last -- /bin/true', debian), []);
  assert.deepEqual(names(good + '0 2 * * * cronguard --name last -- /bin/true'), ['good'], 'cronie ignores only the last line');
  assert.match(cronie(good + '0 2 * * * /bin/true').warnings[0] ?? '', /^c:2: the last line has no newline: cron ignores it$/);
  assert.deepEqual(names(good + '# a comment without newline'), ['good'], 'a comment needs no newline');
  assert.deepEqual(names('MAILTO=\n' + good), ['good'], 'cronie takes NAME= as empty');
});

test("finding 2: cronie's - prefix is root's; Debian's 1000-byte command limit; -n in cron.d", () => {
  assert.deepEqual(names('-0 6 * * * cronguard --name quiet -- /bin/true\n', reader({ root: true })), ['quiet']);
  assert.deepEqual(names('-0 6 * * * root cronguard --name quiet -- /bin/true\n', reader({ system: true })), ['quiet']);
  const long = `0 1 * * * cronguard --name long -- /bin/echo ${'x'.repeat(964)}\n`;
  assert.deepEqual(names(long), ['long']);
  assert.match(debian(long).warnings[0] ?? '', /command too long: 999 bytes/);
  assert.deepEqual(names(long.replace('x', ''), debian), ['long'], '998 bytes still pass');
  const cronD = reader({ system: true });
  const misplaced = cronD('0 5 * * * -n root cronguard --name n -- /bin/true\n0 6 * * * root -n cronguard --name right -- /bin/true\n');
  assert.deepEqual(misplaced.jobs.map((j) => j.name), ['right']);
  assert.match(misplaced.warnings[0] ?? '', /^c:1: user "-n" does not exist: cron never runs this line \(cronie takes -n after the user/);
  assert.match(reader({ system: true, flavour: 'debian' })('0 5 * * * -n root /bin/true\n').warnings[0] ?? '', /bad username "-n"/);
});

test('finding 2: variables as cron parses them: quoted names, an unclosed quote keeps the old zone', () => {
  assert.deepEqual(readAssignment('"CRON_TZ"=Europe/Paris', 'cronie'), { name: 'CRON_TZ', value: 'Europe/Paris' });
  assert.deepEqual(readAssignment("CRON_TZ = 'Asia/Tokyo'  ", 'cronie'), { name: 'CRON_TZ', value: 'Asia/Tokyo' });
  assert.deepEqual(readAssignment('A=b c  \r', 'cronie'), { name: 'A', value: 'b c' });
  assert.equal(readAssignment('CRON_TZ="Europe/Paris', 'cronie'), null);
  assert.equal(readAssignment('A="x" y', 'cronie'), null);
  const { jobs, warnings } = cronie('"CRON_TZ"=Europe/Paris\n0 1 * * * cronguard --name a -- x\nCRON_TZ="Asia/Tokyo\n0 2 * * * cronguard --name b -- x\n');
  assert.deepEqual(jobs.map((j) => [j.name, j.tz]), [['a', 'Europe/Paris'], ['b', 'Europe/Paris']]);
  assert.match(warnings[0] ?? '', /^c:3: cron refuses this line/);
});

test('finding 2: a byte-order mark is part of the first line for cron', () => {
  const { jobs, warnings } = cronie('\uFEFF0 1 * * * cronguard --name bom -- x\n0 2 * * * cronguard --name next -- x\n');
  assert.deepEqual(jobs.map((j) => j.name), ['next']);
  assert.match(warnings.join('\n'), /byte-order mark[^]*c:1: cron refuses this line \(bad minute/);
});

test('finding 3: CRLF keeps the \\r in the last argument, so the derived name is the one the run records', () => {
  const { jobs, warnings } = cronie('0 1 * * * cronguard -- /usr/bin/backup --all\r\n# note\r\n0 2 * * * cronguard --name named -- /bin/true\r\n');
  assert.deepEqual(jobs.map((j) => j.name), [derivedName(['/usr/bin/backup', '--all\r']), 'named']);
  assert.match(warnings[0] ?? '', /CRLF/);
});

test('finding 4: CRON_TZ under cronie: a gap time is skipped that day, a repeated time runs twice', () => {
  const [job] = cronie('CRON_TZ=America/New_York\n30 2 * * * cronguard --name ny -- x\n').jobs;
  assert.deepEqual([job?.tz, job?.dst], ['America/New_York', 'exact']);
  const exact = compileSchedule('30 2 * * *', 'America/New_York', false, 'exact');
  const plain = compileSchedule('30 2 * * *', 'America/New_York', false);
  assert.ok(typeof exact !== 'string' && typeof plain !== 'string');
  const from = Date.parse('2026-03-07T12:00:00Z');
  const to = Date.parse('2026-03-09T12:00:00Z');
  assert.deepEqual(expectedStarts(exact, from, to, null).map((t) => new Date(t).toISOString()), ['2026-03-09T06:30:00.000Z']);
  assert.deepEqual(expectedStarts(plain, from, to, null).map((t) => new Date(t).toISOString()), ['2026-03-08T07:00:00.000Z', '2026-03-09T06:30:00.000Z'], 'without CRON_TZ cron runs it at the jump');
  const back = compileSchedule('30 1 * * *', 'America/New_York', false, 'exact');
  assert.ok(typeof back !== 'string');
  assert.deepEqual(expectedStarts(back, Date.parse('2026-11-01T00:00:00Z'), Date.parse('2026-11-01T12:00:00Z'), null).map((t) => new Date(t).toISOString()),
    ['2026-11-01T05:30:00.000Z', '2026-11-01T06:30:00.000Z']);
});

test("finding 4: Debian's cron ignores CRON_TZ: system zone, one warning per file", () => {
  const { jobs, warnings } = debian('CRON_TZ=America/New_York\n30 2 * * * cronguard --name a -- x\nCRON_TZ=Asia/Tokyo\n0 3 * * * cronguard --name b -- x\n');
  assert.deepEqual(jobs.map((j) => [j.name, j.tz, j.dst]), [['a', null, undefined], ['b', null, undefined]]);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /^c:1: Debian's cron does not know CRON_TZ: the lines after it run in the system's zone/);
});

test('finding 7: cronguard not on the crontab PATH, and an unescaped %', () => {
  const ctx = reader({ executable: (p) => p === '/usr/local/bin/cronguard' });
  const { jobs, warnings } = ctx([
    '0 1 * * * cronguard --name bare -- /bin/true',
    '0 2 * * * /usr/local/bin/cronguard --name abs -- date +%F',
    '0 3 * * * /opt/nope/cronguard --name abs-missing -- /bin/true',
    '0 4 * * * PATH=/usr/local/bin cronguard --name inline-path -- /bin/true',
    'PATH=/usr/local/bin:/usr/bin:/bin',
    '0 5 * * * cronguard --name with-path -- date +\\%F',
    '',
  ].join('\n'));
  assert.equal(jobs.length, 5, 'still jobs: cron runs the lines, they fail');
  assert.deepEqual(warnings.map((w) => w.slice(0, 40)), [
    'c:1: cron will not find "cronguard": no ',
    'c:2: an unescaped % ends the command her',
    'c:3: cron will not find "/opt/nope/crong',
  ]);
  assert.match(warnings[0] ?? '', /PATH \(\/usr\/bin:\/bin:\/usr\/sbin:\/sbin, cron's default\); give its full path \(e\.g\. \/usr\/local\/bin\/cronguard\)/);
  assert.match(reader({ flavour: 'debian', executable: () => false })('0 1 * * * cronguard --name x -- y\n').warnings[0] ?? '', /\(\/usr\/bin:\/bin, cron's default\)/);
});

test('the sweep line is found for the watcher, with its schedule and zone', () => {
  const { sweeps, jobs } = cronie('CRON_TZ=UTC\n*/30 * * * * /usr/local/bin/cronguard sweep --notify-url https://x.example/h\n');
  assert.deepEqual(jobs, []);
  assert.deepEqual(sweeps.map((s) => [s.schedule, s.tz, s.source]), [['*/30 * * * *', 'UTC', 'c:2']]);
});

test('finding 4 end to end: a CRON_TZ line read under each cron, judged overdue around the spring-forward night', () => {
  const text = 'CRON_TZ=America/New_York\n30 2 * * * /usr/local/bin/cronguard --name ny -- /bin/true\n';
  const judge = (flavour: 'cronie' | 'debian', atIso: string) => {
    const reading = reader({ flavour })(text);
    const [seen] = crontabJobsFor(reading, targetOf('/nowhere.db') as StoreTarget, 'root');
    const job: JobFacts = { job: 'ny', recorded: null, crontab: seen?.schedules ?? [], firstSeenAt: '2026-03-07T12:00:00.000Z', last: null, lastFinished: null, failed: null, streak: { count: 0, since: null } };
    return judgeOverdue(job, Date.parse(atIso), null, new ScheduleCache()).problem;
  };
  // cronie: 02:30 does not exist in New York on 8 March, and CRON_TZ lines get no catch-up at the jump.
  assert.equal(judge('cronie', '2026-03-08T07:10:00Z'), null, 'no false overdue at the 03:00 jump');
  assert.equal(judge('cronie', '2026-03-09T06:34:00Z'), null, 'within grace of the next real 02:30');
  assert.match(judge('cronie', '2026-03-09T06:36:00Z')?.message ?? '', /expected to start at 2026-03-09 02:30 America\/New_York/);
  // Debian's cron: the line runs at 02:30 in the system's zone, whatever CRON_TZ says.
  const zone = compileSchedule('30 2 * * *', null, false);
  assert.ok(typeof zone !== 'string' && zone.kind === 'cron');
  const [due] = expectedStarts(zone, Date.parse('2026-03-07T12:00:00Z'), Date.parse('2026-03-09T12:00:00Z'), null);
  assert.ok(due !== undefined);
  assert.equal(judge('debian', new Date(due + 4 * 60_000).toISOString()), null);
  assert.match(judge('debian', new Date(due + 6 * 60_000).toISOString())?.message ?? '', new RegExp(`expected to start at \\S+ \\S+ ${zone.zone ?? systemZone()}`));
});
