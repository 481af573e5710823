import { formatDuration } from '../../shared/duration.ts';
import { esc } from './escape.ts';
import type { DayBand, JobReport, ReportDay } from './model.ts';

const W = 720;
const H = 150;
const LEFT = 54;
const RIGHT = 10;
const TOP = 10;
const BOTTOM = 24;

/** A number rounded for SVG coordinates (whole pixels of a 720-wide chart). */
const r = (n: number): string => String(Math.round(n));

/** The runs of consecutive days that have durations: a band is drawn per run of days, never across a gap. */
function segments(bands: ReadonlyArray<DayBand | null>): Array<Array<{ i: number; band: DayBand }>> {
  const result: Array<Array<{ i: number; band: DayBand }>> = [];
  let current: Array<{ i: number; band: DayBand }> = [];
  bands.forEach((band, i) => {
    if (band) current.push({ i, band });
    else if (current.length) { result.push(current); current = []; }
  });
  if (current.length) result.push(current);
  return result;
}

/** A round top for the duration axis, at or above the highest p95. */
function niceTop(ms: number): number {
  if (ms <= 0) return 1000;
  const magnitude = 10 ** Math.floor(Math.log10(ms));
  const step = [1, 2, 2.5, 5, 10].find((s) => s * magnitude >= ms) ?? 10;
  return step * magnitude;
}

/**
 * One job's durations over the report's days as inline SVG: per day the band from p50 to p95 (shaded) and
 * the p50 line; below the plot a red dot on each day with failures and a magenta triangle on each day with
 * timeouts. Every mark carries its figures in a <title> (a tooltip, no script needed).
 */
export function durationChart(job: JobReport, days: readonly ReportDay[]): string {
  const n = Math.max(1, days.length);
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const top = niceTop(Math.max(0, ...job.bands.map((b) => b?.p95Ms ?? 0)));
  const x = (i: number) => LEFT + ((i + 0.5) * plotW) / n;
  const y = (ms: number) => TOP + plotH - (Math.min(ms, top) / top) * plotH;
  const parts: string[] = [];
  for (const frac of [0, 0.5, 1]) {
    parts.push(`<line class="grid" x1="${LEFT}" x2="${W - RIGHT}" y1="${r(y(top * frac))}" y2="${r(y(top * frac))}"/>`,
      `<text class="ylabel" x="${LEFT - 6}" y="${r(y(top * frac) + 4)}">${esc(formatDuration(top * frac))}</text>`);
  }
  const labelEvery = Math.max(1, Math.ceil(n / 6));
  days.forEach((d, i) => {
    if (i % labelEvery === 0 || i === n - 1) parts.push(`<text class="xlabel" x="${r(x(i))}" y="${H - 6}">${esc(d.date.slice(5))}</text>`);
  });
  const half = Math.max(1.5, plotW / n / 4);
  for (const seg of segments(job.bands)) {
    const first = seg[0] as (typeof seg)[0];
    if (seg.length === 1) {
      parts.push(`<rect class="band" x="${r(x(first.i) - half)}" y="${r(y(first.band.p95Ms))}" width="${r(2 * half)}" height="${r(Math.max(1, y(first.band.p50Ms) - y(first.band.p95Ms)))}"/>`);
    } else {
      const upper = seg.map((s) => `${r(x(s.i))},${r(y(s.band.p95Ms))}`);
      const lower = [...seg].reverse().map((s) => `${r(x(s.i))},${r(y(s.band.p50Ms))}`);
      parts.push(`<path class="band" d="M${upper.join('L')}L${lower.join('L')}Z"/>`,
        `<polyline class="p50" points="${seg.map((s) => `${r(x(s.i))},${r(y(s.band.p50Ms))}`).join(' ')}"/>`);
    }
    // The day's figures are the overview cell's tooltip: the points stay bare, which keeps the page small.
    for (const s of seg) parts.push(`<circle class="pt" cx="${r(x(s.i))}" cy="${r(y(s.band.p50Ms))}" r="2"/>`);
  }
  const base = TOP + plotH;
  job.days.forEach((d, i) => {
    if (!d) return;
    const day = days[i]?.date.slice(5) ?? '';
    const failed = d.failures + d.killed;
    if (failed > 0) parts.push(`<circle class="mk-fail" cx="${r(x(i))}" cy="${base - 4}" r="3.5"><title>${esc(`${day}: ${failed} failed`)}</title></circle>`);
    if (d.timeouts > 0) parts.push(`<path class="mk-timeout" d="M${r(x(i) - 4)},${TOP + 7}L${r(x(i) + 4)},${TOP + 7}L${r(x(i))},${TOP}Z"><title>${esc(`${day}: ${d.timeouts} timed out`)}</title></path>`);
  });
  return `<svg class="chart" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="durations by day: p50 line, p50 to p95 band">${parts.join('')}</svg>`;
}
