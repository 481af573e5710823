import { formatDuration } from '../../shared/duration.ts';
import { esc, shown } from './escape.ts';
import type { HostReport, JobReport, ReportDay } from './model.ts';

/** A day cell's tooltip: its date, what happened, and the durations of its finished runs. */
function dayTitle(date: string, d: JobReport['days'][number], band: JobReport['bands'][number]): string {
  if (!d) return `${date}: no runs`;
  const trouble = [[d.failures, 'failed'], [d.timeouts, 'timed out'], [d.killed, 'killed']]
    .filter(([count]) => (count as number) > 0).map(([count, what]) => `${count} ${what}`);
  const durations = band ? `; p50 ${formatDuration(band.p50Ms)}, p95 ${formatDuration(band.p95Ms)}, max ${formatDuration(band.maxMs)}` : '';
  return `${date}: ${d.runs} run${d.runs === 1 ? '' : 's'}${trouble.length ? `, ${trouble.join(', ')}` : ''}${durations}`;
}

/** The header row of day columns: the day of the month, with the full date as tooltip. */
function dayHeader(days: readonly ReportDay[]): string {
  return days.map((d) => `<th class="d" title="${esc(d.date)}">${esc(String(Number(d.date.slice(8, 10))))}</th>`).join('');
}

/** The flags of a job's open problems (stuck, overdue, failing, overrun), each with sweep's message as tooltip. */
export function problemFlags(job: JobReport): string {
  return job.problems.map((p) => `<span class="flag ${esc(p.kind)}" title="${shown(`${p.kind} since ${p.since}: ${p.message}`)}">${shown(p.kind)}</span>`).join('');
}

/**
 * The overview: one row per job, one cell per day, each cell coloured by that day's worst outcome (a cell
 * class per status), the job's open problems flagged beside its name, the name linking to its section.
 */
export function overviewGrid(jobs: readonly JobReport[], days: readonly ReportDay[]): string {
  const rows = jobs.map((job, n) => {
    const cells = job.days.map((d, i) => `<td class="c ${d ? esc(d.worst) : 'none'}" title="${shown(dayTitle(days[i]?.date ?? '', d, job.bands[i] ?? null))}"></td>`).join('');
    return `<tr class="job${job.problems.length ? ' open' : ''}"><th scope="row"><a href="#job-${n}">${shown(job.job)}</a>${problemFlags(job)}</th>${cells}</tr>`;
  });
  return `<div class="scroll"><table class="grid overview"><thead><tr><th></th>${dayHeader(days)}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

/** Per host: its jobs' worst outcome per day (the cell shows how many runs did not succeed), and which jobs. */
export function hostGrid(hosts: readonly HostReport[], days: readonly ReportDay[]): string {
  const rows = hosts.map((h) => {
    const cells = h.days.map((d, i) => {
      const date = days[i]?.date ?? '';
      const title = d ? `${date}: ${d.runs} run${d.runs === 1 ? '' : 's'}, ${d.failures} not successful` : `${date}: no runs`;
      return `<td class="c ${d ? esc(d.worst) : 'none'}" title="${esc(title)}">${d && d.failures > 0 ? d.failures : ''}</td>`;
    }).join('');
    const jobs = h.jobs.length ? `<div class="jobs">${h.jobs.map(shown).join(', ')}</div>` : '';
    return `<tr class="host"><th scope="row">${shown(h.host)}${jobs}</th>${cells}</tr>`;
  });
  return `<div class="scroll"><table class="grid hosts"><thead><tr><th></th>${dayHeader(days)}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}
