import { outcomeText } from '../../shared/outcome.ts';
import { shortId } from '../../shared/run-id.ts';
import { durationText, localTime } from '../../shared/local-time.ts';
import { durationChart } from './chart.ts';
import { esc, shown, shownOutput } from './escape.ts';
import { hostGrid, overviewGrid, problemFlags } from './grid.ts';
import type { JobReport, ReportModel } from './model.ts';
import { STYLE } from './style.ts';

/** The statuses of the legend, in the colours the cells use. */
const LEGEND = ['success', 'failed', 'timeout', 'error', 'lost', 'killed', 'running', 'skipped', 'none'];

/** One fact of a job: a term and its (already escaped) description. */
const fact = (term: string, html: string) => `<dt>${term}</dt><dd>${html}</dd>`;

/** The job's latest failures with the tails of their output (neutralised and escaped: nothing in them is markup). */
function failureList(job: JobReport): string {
  if (job.failures.length === 0) return '';
  const items = job.failures.map((f) => {
    const heading = `${localTime(f.startedAt)} · ${outcomeText(f)} · ${durationText(f.durationMs)} · ${f.host} · ${shortId(f.id)}`;
    const cut = f.outputBytes > f.tail.length ? `<p class="cut">last ${f.tail.length} of ${f.outputBytes} bytes (cronguard show ${esc(shortId(f.id))} has what was kept)</p>` : '';
    const reason = f.reason ? `<p class="reason">${shown(f.reason)}</p>` : '';
    const tail = f.tail.length ? `<pre class="tail">${shownOutput(f.tail)}</pre>` : '<p class="cut">no output</p>';
    return `<li class="failure"><h4>${shown(heading)}</h4>${reason}${cut}${tail}</li>`;
  });
  const open = job.failureStreak > 0 ? ' open' : '';
  return `<details class="failures"${open}><summary>last ${job.failures.length} failure${job.failures.length === 1 ? '' : 's'} in the period</summary><ol>${items.join('')}</ol></details>`;
}

/** A job's section: its facts, its duration chart and its latest failures. */
function jobSection(job: JobReport, n: number, model: ReportModel): string {
  const runs = job.days.reduce((sum, d) => sum + (d?.runs ?? 0), 0);
  const failed = job.days.reduce((sum, d) => sum + (d ? d.failures + d.timeouts + d.killed : 0), 0);
  const zone = job.tz && job.tz !== model.zone ? ` (${shown(job.tz)})` : '';
  const facts = [
    fact('schedule', job.schedule === null ? 'none known' : `<code>${shown(job.schedule)}</code>${zone}`),
    fact('next expected', job.nextExpectedAt === null ? (job.schedule === '@reboot' ? 'at boot' : '-') : esc(localTime(job.nextExpectedAt))),
    fact('last run', job.lastStatus === null ? 'never run' : `<span class="st ${esc(job.lastStatus)}">${shown(job.lastStatus)}</span> ${esc(localTime(job.lastStartedAt))}`),
    fact('failure streak', `<span class="${job.failureStreak ? 'bad' : ''}">${job.failureStreak}</span>`),
    fact('runs in the period', `${runs}${failed ? `, <span class="bad">${failed} not successful</span>` : ''}`),
    fact('last duration', esc(durationText(job.lastDurationMs))),
  ];
  const problems = job.problems.map((p) => `<li>${shown(`${p.kind} since ${localTime(p.since)}: ${p.message}`)}</li>`).join('');
  return `<section class="job" id="job-${n}"><h3>${shown(job.job)}${problemFlags(job)}</h3>${problems ? `<ul class="problems">${problems}</ul>` : ''}
<dl class="facts">${facts.join('')}</dl>${durationChart(job, model.days)}${failureList(job)}</section>`;
}

/**
 * The whole report as one HTML document: inline CSS and SVG only, no script, no external asset (a
 * Content-Security-Policy forbids both, should anything ever slip through), readable in any browser or
 * mail client, every stored field escaped.
 */
export function reportPage(model: ReportModel): string {
  const first = model.days[0]?.date ?? '';
  const last = model.days[model.days.length - 1]?.date ?? '';
  const open = model.jobs.reduce((n, j) => n + j.problems.length, 0);
  const legend = LEGEND.map((s) => `<span class="key"><i class="c ${s}"></i>${s === 'none' ? 'no runs' : s}</span>`).join('');
  const sweep = model.lastSweepAt === null ? 'sweep has never run on this database' : `last sweep ${esc(localTime(model.lastSweepAt))}`;
  const hosts = model.hosts ? `<h2>By host</h2><p class="legend">Each job counts under the host of its latest run.</p>${hostGrid(model.hosts, model.days)}` : '';
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="cronguard">
<title>cronguard report ${esc(first)} – ${esc(last)}</title>
<style>${STYLE}</style></head>
<body><header><h1>cronguard report</h1>
<p class="meta">${esc(first)} – ${esc(last)} (days in ${shown(model.zone)}) · ${model.jobs.length} job${model.jobs.length === 1 ? '' : 's'} · <span class="${open ? 'bad' : ''}">${open} open problem${open === 1 ? '' : 's'}</span> · ${sweep} · generated ${esc(localTime(model.generatedAt))}</p></header>
<main><h2>Each day's worst outcome</h2><p class="legend">${legend}</p>
${model.jobs.length ? overviewGrid(model.jobs, model.days) : '<p>No jobs recorded yet.</p>'}
${hosts}
<h2>Jobs</h2>
${model.jobs.map((j, n) => jobSection(j, n, model)).join('\n')}
</main></body></html>
`;
}
