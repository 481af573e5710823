import assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { cronguard, tempDir } from '../helpers/cli.ts';
import { CHROMIUM, CHROMIUM_REQUIRED, decodePng, pixelSpread, renderedDom, screenshot } from '../helpers/chromium.ts';
import { execute } from '../helpers/db.ts';

const dir = tempDir();
const db = join(dir, 'cg.db');
const report = join(dir, 'report.html');
const EVIL_NAME = 'x"><img src=x onerror=alert(2)>';
const EVIL_HOST = 'web-2\x1b[31m<b>';

/** Skips a browser test where chromium is missing, unless CI requires it (.ci/run installs it as root). */
function needChromium(t: { skip: (why: string) => void }): boolean {
  if (CHROMIUM) return true;
  if (CHROMIUM_REQUIRED) throw new Error('chromium is required (CRONGUARD_CHROMIUM=required) but not installed');
  t.skip('chromium is not installed (.ci/run installs it)');
  return false;
}

before(async () => {
  const record = (name: string, ...argv: string[]) => cronguard(['--db', db, '--name', name, ...argv]);
  for (const pause of ['0.05', '0.1', '0.2']) await record('nightly', '--schedule', '0 3 * * *', '--', 'sh', '-c', `sleep ${pause}`);
  // Output a browser must show as text: markup, terminal controls and one very long line.
  await record('flaky', '--', 'sh', '-c', `head -c 100000 /dev/zero | tr '\\0' 'y'; echo; echo '<script>alert(1)</script>'; printf '\\033[2J\\r'; exit 3`);
  await record('flaky', '--', 'true');
  await record('slow', '--timeout', '200ms', '--kill-after', '1s', '--', 'sleep', '5');
  await record('renamed', '--', 'sh', '-c', 'exit 1');
  // Another writer of the database: a name made of markup, a host full of controls, a failure two days back.
  execute(db, 'UPDATE runs SET job = ? WHERE job = ?', EVIL_NAME, 'renamed');
  execute(db, 'UPDATE jobs SET name = ? WHERE name = ?', EVIL_NAME, 'renamed');
  execute(db, 'UPDATE runs SET host = ? WHERE job = ?', EVIL_HOST, 'slow');
  const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
  twoDaysAgo.setHours(12, 0, 0, 0);
  execute(db, `UPDATE runs SET started_at = ? WHERE job = 'flaky' AND status = 'failed'`, twoDaysAgo.toISOString());
  const r = await cronguard(['report', '--html', report, '--db', db]);
  assert.equal(r.code, 0, r.stderr);
});

test('the file: self-contained (no script, no external reference), mode 0644, written without leftovers', () => {
  const html = readFileSync(report, 'utf8');
  assert.equal(statSync(report).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(dir).filter((f) => f.includes('.tmp-')), []);
  assert.doesNotMatch(html, /<(script|img|link|iframe|object|embed)\b|\s(src|href)="(?!#job-)|@import|url\(/i);
  assert.doesNotMatch(html, /https?:\/\//);
  assert.match(html, /Content-Security-Policy" content="default-src 'none'/);
  assert.ok(Buffer.byteLength(html) < 200_000, `${Buffer.byteLength(html)} bytes`);
});

test('in a real browser: one row per job, a cell per day, bands, escaped names, hosts and output', (t) => {
  if (!needChromium(t)) return;
  const dom = renderedDom(report);
  const overview = /<table class="grid overview">([\s\S]*?)<\/table>/.exec(dom)?.[1] ?? '';
  const rows = overview.match(/<tr class="job[^"]*">[\s\S]*?<\/tr>/g) ?? [];
  assert.equal(rows.length, 4, overview.slice(0, 500));
  for (const row of rows) assert.equal(row.match(/<td class="c /g)?.length, 30, row);
  const rowOf = (name: string) => rows.find((r) => r.includes(`>${name}</a>`)) ?? '';
  // The failure two days back colours the day before yesterday; today holds its success.
  const flakyCells = [...rowOf('flaky').matchAll(/<td class="c (\w+)"/g)].map((m) => m[1]);
  assert.deepEqual(flakyCells.slice(-3), ['failed', 'none', 'success']);
  assert.equal(rowOf('slow').match(/<td class="c (\w+)"/g)?.at(-1), '<td class="c timeout"');
  // Nothing injected: no element came from a name, a host or an output; all of it shows as text.
  assert.doesNotMatch(dom, /<script|<img|<b>/i);
  assert.ok(dom.includes('x"&gt;&lt;img src=x onerror=alert(2)&gt;'), 'the hostile name shows as text');
  assert.ok(dom.includes('&lt;script&gt;alert(1)&lt;/script&gt;'), 'the output shows as text');
  assert.ok(dom.includes('^[[2J^M'), 'terminal controls in output are made visible');
  assert.ok(dom.includes('web-2^[[31m&lt;b&gt;'), 'the host shows with its controls neutralised');
  // Bands on each job with durations; marks for the failure and the timeout.
  const sections = dom.split('<section class="job"').slice(1);
  assert.equal(sections.length, 4);
  const section = (name: string) => sections.find((s) => s.includes(`<h3>${name}`)) ?? '';
  assert.match(section('nightly'), /class="band"/);
  assert.match(section('flaky'), /class="mk-fail"/);
  assert.match(section('slow'), /class="mk-timeout"/);
  assert.match(section('nightly'), /next expected<\/dt><dd>\d{4}-\d\d-\d\d 03:00/);
  assert.match(dom, /<h2>By host<\/h2>/);
  assert.match(/<table class="grid hosts">[\s\S]*?<\/table>/.exec(dom)?.[0] ?? '', /web-2\^\[\[31m&lt;b&gt;<div class="jobs">slow<\/div>/);
  assert.match(section('flaky'), /last 2048 of 100\d\d\d bytes/);
});

test('a screenshot of the report is a picture, not a blank page', (t) => {
  if (!needChromium(t)) return;
  const png = join(dir, 'report.png');
  screenshot(report, png, 1100, 900);
  const picture = decodePng(png);
  assert.equal(picture.width, 1100);
  const spread = pixelSpread(picture);
  assert.ok(spread.stddev > 15 && spread.inked > 0.02 && spread.colours > 50, JSON.stringify(spread));
});

test('--since narrows the days; --html - writes to stdout; no database is an empty report', async () => {
  const three = await cronguard(['report', '--since', '3d', '--html', '-', '--db', db]);
  assert.equal(three.code, 0, three.stderr);
  const row = /<tr class="job[^"]*"><th scope="row"><a href="#job-\d+">nightly<\/a>[\s\S]*?<\/tr>/.exec(three.out)?.[0] ?? '';
  assert.equal(row.match(/<td class="c /g)?.length, 3, row);
  const none = await cronguard(['report', '--html', '-', '--db', join(dir, 'none.db')]);
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.out, /No jobs recorded yet/);
});

test('never through a symbolic link; bad input is one line and exit 125', async () => {
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'keep me');
  const link = join(dir, 'link.html');
  symlinkSync(victim, link);
  const r = await cronguard(['report', '--html', link, '--db', db]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /^cronguard: cannot write --html ".*link\.html": it is a symbolic link/);
  assert.equal(readFileSync(victim, 'utf8'), 'keep me');
  assert.ok(lstatSync(link).isSymbolicLink());
  const missing = await cronguard(['report', '--db', db]);
  assert.equal(missing.code, 125);
  assert.match(missing.stderr, /^cronguard: report needs --html FILE/);
  const bad = await cronguard(['report', '--html', report, '--since', 'lately', '--db', db]);
  assert.equal(bad.code, 125);
  assert.match(bad.stderr, /^cronguard: --since "lately"/);
});

test('sweep --html regenerates the report after each sweep', async () => {
  const published = join(dir, 'published.html');
  const first = await cronguard(['sweep', '--crontab', '/dev/null', '--html', published, '--db', db]);
  assert.notEqual(first.code, 125, first.stderr);
  assert.ok(existsSync(published));
  assert.match(readFileSync(published, 'utf8'), /<table class="grid overview">/);
  assert.match(readFileSync(published, 'utf8'), /class="flag failing"/);
  writeFileSync(published, 'stale');
  const second = await cronguard(['sweep', '--crontab', '/dev/null', '--html', published, '--db', db]);
  assert.notEqual(second.code, 125, second.stderr);
  assert.match(readFileSync(published, 'utf8'), /^<!DOCTYPE html>/);
  const broken = await cronguard(['sweep', '--crontab', '/dev/null', '--html', join(dir, 'no-such-dir', 'r.html'), '--db', db]);
  assert.equal(broken.code, 125);
  assert.match(broken.stderr, /^cronguard: the sweep is done, but its report is not: cannot write --html/m);
});
