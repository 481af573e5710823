// `npm run screenshots`: the README's pictures (docs/report.png, docs/status.png), made from a database of
// 30 days of plausible runs through the real CLI and a real headless chromium. Run it again after changing
// how the report or the status table looks, and commit the PNGs.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttemptRecord, RunRecord, RunStatus } from '../src/shared/types.ts';
import { bulkInsert, type BulkJob } from '../src/store/sqlite/bulk.ts';

const ROOT = process.cwd();
const BIN = join(ROOT, 'bin', 'cronguard');
const DOCS = join(ROOT, 'docs');
const DAY = 86_400_000;

/** A job of the picture: its schedule in minutes, usual duration, host, and what goes wrong when. */
interface Plan { name: string; everyMin: number; offsetMin: number; schedule: string; baseMs: number; host: string; trouble: (day: number, r: number) => RunStatus; growth?: number; output?: string }

const PLANS: Plan[] = [
  { name: 'backup', everyMin: 1440, offsetMin: 195, schedule: '15 3 * * *', baseMs: 1_260_000, host: 'db-1', growth: 0.025, trouble: (d) => (d === 21 || d === 22 ? 'failed' : 'success'), output: 'rsync: [sender] write error: No space left on device (28)\nrsync error: error in file IO (code 11) at receiver.c(380)\n' },
  { name: 'db-dump', everyMin: 360, offsetMin: 0, schedule: '0 */6 * * *', baseMs: 240_000, host: 'db-1', trouble: (d, r) => (r < 0.02 ? 'timeout' : 'success') },
  { name: 'certbot-renew', everyMin: 720, offsetMin: 17, schedule: '17 */12 * * *', baseMs: 9_000, host: 'web-1', trouble: (d) => (d >= 27 ? 'failed' : 'success'), output: 'Renewing an existing certificate for example.org\nChallenge failed for domain example.org\nhttp-01 challenge for example.org: Connection refused\n' },
  { name: 'logrotate', everyMin: 1440, offsetMin: 0, schedule: '0 0 * * *', baseMs: 1_800, host: 'web-1', trouble: () => 'success' },
  { name: 'sync-mirror', everyMin: 30, offsetMin: 0, schedule: '*/30 * * * *', baseMs: 95_000, host: 'web-2', trouble: (d, r) => (r < 0.003 ? 'killed' : r < 0.008 ? 'skipped' : 'success') },
  { name: 'reindex-search', everyMin: 120, offsetMin: 40, schedule: '40 */2 * * *', baseMs: 610_000, host: 'web-2', trouble: (d, r) => (d >= 12 && d <= 14 && r < 0.5 ? 'timeout' : 'success') },
  { name: 'fetch-feeds', everyMin: 15, offsetMin: 0, schedule: '*/15 * * * *', baseMs: 4_200, host: 'web-1', trouble: (d, r) => (r < 0.002 ? 'error' : 'success'), output: 'curl: (6) Could not resolve host: feeds.example.net\n' },
  { name: 'cleanup-tmp', everyMin: 60, offsetMin: 5, schedule: '5 * * * *', baseMs: 700, host: 'web-2', trouble: () => 'success' },
];

/** A small deterministic PRNG, so the pictures change only when the code does. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 30 days of runs of every planned job, oldest first. */
function runsOf(now: number): RunRecord[] {
  const random = prng(16);
  const runs: RunRecord[] = [];
  const hex = () => Math.floor(random() * 0x100000000).toString(16).padStart(8, '0');
  for (const plan of PLANS) {
    const step = plan.everyMin * 60_000;
    const offset = plan.offsetMin * 60_000;
    for (let t = Math.floor((now - 30 * DAY) / step) * step + step + offset; t < now; t += step) {
      const day = Math.floor((t - (now - 30 * DAY)) / DAY);
      const status = plan.trouble(day, random());
      const ms = Math.round(plan.baseMs * (1 + (plan.growth ?? 0) * day) * Math.exp(0.25 * (random() + random() - 1)));
      const duration = status === 'timeout' ? plan.baseMs * 3 : status === 'skipped' ? 3 : ms;
      const output = plan.output && status !== 'success' ? Buffer.from(plan.output) : Buffer.alloc(0);
      const attempt: AttemptRecord = {
        n: 1, status, exitCode: status === 'success' ? 0 : status === 'failed' ? 11 : status === 'error' ? 6 : null,
        signal: status === 'timeout' || status === 'killed' ? 'SIGTERM' : null, startedAt: new Date(t).toISOString(),
        endedAt: new Date(t + duration).toISOString(), durationMs: duration, outputBytes: output.length, reason: status === 'timeout' ? 'timed out' : null, output,
      };
      runs.push({
        id: `${hex()}-${hex().slice(0, 4)}-4${hex().slice(0, 3)}-8${hex().slice(0, 3)}-${hex()}${hex().slice(0, 4)}`, job: plan.name, status,
        exitCode: attempt.exitCode, signal: attempt.signal, startedAt: attempt.startedAt, heartbeatAt: attempt.endedAt as string,
        endedAt: attempt.endedAt, durationMs: duration, host: plan.host, pid: 4000 + runs.length, pidStart: null, pgid: null,
        command: [`/usr/local/bin/${plan.name}.sh`], timeoutMs: plan.baseMs * 3, killAfterMs: 10_000, heartbeatMs: 30_000,
        reason: attempt.reason, attempts: status === 'skipped' ? [] : [attempt],
      });
    }
  }
  return runs.sort((a, b) => (a.startedAt < b.startedAt ? -1 : 1));
}

/** Headless chromium's screenshot of a file. */
function screenshot(html: string, png: string, width: number, height: number): void {
  const profile = mkdtempSync(join(tmpdir(), 'cronguard-shot-'));
  try {
    execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--hide-scrollbars', `--user-data-dir=${profile}`, `--screenshot=${png}`,
      `--window-size=${width},${height}`, `file://${html}`], { stdio: 'ignore' });
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

const SGR: Record<string, string> = { '31': '#ff6b6b', '32': '#51cf66', '33': '#fcc419', '35': '#da77f2', '36': '#4dabf7', '90': '#868e96' };

/** A terminal's output (SGR colours and bold only) as HTML on a dark background. */
function terminalHtml(text: string): string {
  const esc = (s: string) => s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string);
  let html = '';
  let open = 0;
  for (const part of text.replace(/\r/g, '').split(/(\x1b\[[0-9;]*m)/)) {
    const sgr = /^\x1b\[([0-9;]*)m$/.exec(part);
    if (!sgr) { html += esc(part); continue; }
    const code = sgr[1] ?? '';
    if (code === '1') { html += '<b>'; open++; } else if (SGR[code]) { html += `<span style="color:${SGR[code]}">`; open++; } else if (open > 0) { html += code === '22' ? '</b>' : '</span>'; open--; }
  }
  return `<!DOCTYPE html><meta charset="utf-8"><body style="margin:0;background:#1e1e1e"><pre style="margin:0;padding:14px 16px;color:#e9ecef;font:14px/1.35 'DejaVu Sans Mono',monospace">$ cronguard status\n${html}</pre>`;
}

const dir = mkdtempSync(join(tmpdir(), 'cronguard-screenshots-'));
try {
  mkdirSync(DOCS, { recursive: true });
  const db = join(dir, 'cronguard.db');
  const now = Date.now();
  const jobs: BulkJob[] = PLANS.map((p) => ({ name: p.name, schedule: { schedule: p.schedule, tz: null, graceMs: 300_000 }, firstSeenAt: new Date(now - 31 * DAY).toISOString() }));
  bulkInsert(db, jobs, runsOf(now));
  const cli = (args: string[], env: NodeJS.ProcessEnv = {}) => execFileSync(process.execPath, [BIN, ...args, '--db', db], { env: { ...process.env, ...env }, encoding: 'utf8' });
  try { cli(['sweep', '--crontab', '/dev/null']); } catch { /* exit 1: it reported problems, as wanted for the flags */ }
  const report = join(dir, 'report.html');
  cli(['report', '--html', report]);
  screenshot(report, join(DOCS, 'report.png'), 1100, 1300);
  const line = [process.execPath, BIN, 'status', '--db', db].map((w) => `'${w}'`).join(' ');
  const status = execFileSync('script', ['-qec', `stty cols 118 rows 40; ${line}`, '/dev/null'], { env: { ...process.env, TERM: 'xterm-256color', COLUMNS: '118' }, encoding: 'utf8' });
  const terminal = join(dir, 'status.html');
  writeFileSync(terminal, terminalHtml(status));
  screenshot(terminal, join(DOCS, 'status.png'), 1020, 250);
  console.log(`wrote ${join(DOCS, 'report.png')} and ${join(DOCS, 'status.png')}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
