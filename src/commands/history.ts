import type { CliContext, CommandMain } from './context.ts';
import { CronguardError, EXIT } from '../shared/errors.ts';
import { safeFields } from '../shared/neutralise.ts';
import { historyCsvFields, historyCsvHeader, historyCsvRecord, historyTable } from '../report/history.ts';
import { MalformedRuns } from '../shared/stored.ts';
import { runJson } from '../wire/run-json.ts';
import { makeStyle } from '../report/style.ts';
import type { RunFilter } from '../store/store.ts';
import { optionValue } from '../shared/option-values.ts';
import { HISTORY } from '../shared/options.ts';
import { exclusive, requireKnownJob, withStore } from './forensics.ts';
import { openStore } from '../store/open.ts';
import { describeTarget } from '../store/target.ts';
import { storeTargetOf } from './store-target.ts';

/** `cronguard history [JOB]`: runs newest first, as a table, JSON or CSV. */
export const historyMain: CommandMain = async (args, ctx) => {
  exclusive(args, 'json', 'csv');
  const filter = historyFilter(args);
  const format = args.options['json'] === true ? 'json' : args.options['csv'] === true ? 'csv' : null;
  const target = storeTargetOf(args, ctx);
  const store = await openStore(target, 'read');
  const malformed = new MalformedRuns((line) => ctx.stderr(`cronguard: ${line}\n`));
  if (format !== null) {
    // Streamed: an export of every run (--limit 0) holds one run at a time, never the whole answer.
    const out = new ChunkedOutput(ctx);
    await out.write(format === 'json' ? '[' : historyCsvHeader());
    let count = 0;
    if (store !== null) {
      await withStore(store, 'read', async (s) => {
        if (format === 'json') {
          // A run comes as its JSON text when the store wrote it (and it needs no warning), else as its record.
          for await (const run of s.reads.eachJson(filter)) {
            const json = typeof run === 'string' ? run : (malformed.check(run), JSON.stringify(runJson(run)));
            if (out.add(`${count++ === 0 ? '\n' : ',\n'}${json}`)) await out.flush();
          }
        } else {
          // Likewise: a run comes as its first fields, counts and command when the store wrote them, else as its record.
          for await (const run of s.reads.eachCsv(filter)) {
            const csv = 'csvFields' in run ? historyCsvFields(run) : (malformed.check(run), historyCsvRecord(run));
            if (out.add(csv)) await out.flush();
          }
        }
      });
    }
    await out.write(format === 'json' ? `${count === 0 ? '' : '\n'}]\n` : '');
    await out.flush();
    malformed.finish();
    return EXIT.ok;
  }
  const runs = store === null ? [] : await withStore(store, 'read', async (s) => {
    const found = await s.reads.list(filter);
    // A typo deserves an error; a script asking for JSON or CSV gets the truthful empty answer instead.
    if (found.length === 0 && filter.job !== undefined) await requireKnownJob(s, filter.job);
    return found;
  });
  for (const run of runs) malformed.check(run);
  malformed.finish();
  if (runs.length === 0) ctx.stdout(store === null ? `no runs recorded in ${describeTarget(target)}\n` : 'no runs match\n');
  else ctx.stdout(historyTable(safeFields(runs), makeStyle(ctx.stdoutIsTTY, ctx.env), ctx.stdoutIsTTY, new Set(runs.map((r) => r.host)).size > 1));
  return EXIT.ok;
};

/** About how many characters go to stdout at once. */
const CHUNK_CHARS = 8192;

/**
 * Writes text to stdout in chunks of about 8 KiB, waiting for stdout to drain between them. Small chunks keep
 * the heap small: the runs waiting in a chunk are all a scavenge finds alive, and as those survivors add up V8
 * doubles its young generation; with 64 KiB chunks it grew to 16 MiB twice over by the end of a 1M-run export
 * (98 MiB resident for --csv, 82 MiB with 8 KiB chunks, no slower: a write of 8 KiB is still few system calls).
 */
class ChunkedOutput {
  private pending: string[] = [];
  private size = 0;
  constructor(private readonly ctx: Pick<CliContext, 'stdout' | 'drain'>) {}

  async write(text: string): Promise<void> {
    if (this.add(text)) await this.flush();
  }

  /** Adds text without waiting (a million runs need not wait a million times); true when it is time to flush. */
  add(text: string): boolean {
    this.pending.push(text);
    this.size += text.length;
    return this.size >= CHUNK_CHARS;
  }

  async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    this.ctx.stdout(this.pending.join(''));
    this.pending = [];
    this.size = 0;
    await this.ctx.drain();
  }
}

/** The listing the options ask for; --limit 0 lifts the limit. */
function historyFilter(args: Parameters<CommandMain>[0]): RunFilter {
  const job = args.positionals[0];
  const since = optionValue(args, HISTORY.since);
  const until = optionValue(args, HISTORY.until);
  if (since !== undefined && until !== undefined && since >= until) {
    throw new CronguardError(`--since ${JSON.stringify(args.options['since'])} is not before --until ${JSON.stringify(args.options['until'])}`);
  }
  const limit = optionValue(args, HISTORY.limit);
  const statuses = optionValue(args, HISTORY.status);
  const host = optionValue(args, HISTORY.host);
  return {
    ...(job !== undefined ? { job } : {}), ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}),
    ...(statuses !== undefined ? { statuses } : {}), ...(host !== undefined ? { host } : {}), ...(limit > 0 ? { limit } : {}),
  };
}
