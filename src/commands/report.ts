import type { CommandMain } from './context.ts';
import { reportPage } from '../report/html/page.ts';
import { systemZone } from '../schedule/zone.ts';
import { badOption, CronguardError, EXIT } from '../shared/errors.ts';
import { optionValue } from '../shared/option-values.ts';
import { REPORT } from '../shared/options.ts';
import { systemClock } from '../shared/time.ts';
import { openStore } from '../store/open.ts';
import type { Store } from '../store/store.ts';
import { withStore } from './forensics.ts';
import { gatherReport, localDays } from './report-data.ts';
import { storeTargetOf } from './store-target.ts';
import { writePublicFile } from './write-file.ts';

/** The report's HTML from the store (null: nothing recorded yet) over the days from `since` to now. */
export async function reportHtml(store: Store | null, since: Date, now: Date): Promise<string> {
  if (store === null) return reportPage({ generatedAt: now.toISOString(), zone: systemZone(), lastSweepAt: null, days: localDays(since, now), jobs: [], hosts: null });
  return reportPage(await gatherReport(store, since, now));
}

/** Writes the report to FILE (atomically, 0644), or to stdout for `-`. */
export function publishReport(file: string, html: string, option: string, stdout: (text: string) => void): void {
  if (file === '-') stdout(html);
  else writePublicFile(option, file, html);
}

/** `cronguard report --html FILE [--since]`: one self-contained HTML page a web server can serve. Read-only. */
export const reportMain: CommandMain = async (args, ctx) => {
  const file = optionValue(args, REPORT.html);
  if (file === undefined || file === '') throw new CronguardError('report needs --html FILE (- for stdout)');
  const now = systemClock.now();
  const since = new Date(optionValue(args, REPORT.since));
  if (since.getTime() > now.getTime()) throw badOption('--since', String(args.options['since']), 'is in the future');
  const store = await openStore(storeTargetOf(args, ctx), 'read');
  const html = store === null ? await reportHtml(null, since, now) : await withStore(store, 'read', (s) => reportHtml(s, since, now));
  publishReport(file, html, '--html', ctx.stdout);
  return EXIT.ok;
};
