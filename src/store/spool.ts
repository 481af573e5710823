import { readFileSync, readdirSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { jsonSafe } from '../shared/neutralise.ts';
import { isProcessAlive, processStartTicks, hostName } from '../shared/proc.ts';
import type { JobSchedule, RunRecord } from '../shared/types.ts';
import { appendPrivately, privatePath } from './private-files.ts';
import { badSpoolRecord } from './spool-check.ts';
import type { Store } from './store.ts';
import { parseJsonSafely } from '../shared/json.ts';

/** One spooled record: a complete run that could not be written to the database. */
export interface SpoolEntry {
  run: RunRecord;
  schedule: JobSchedule | null;
}

/** The record as one JSON line; kept output travels as base64 so every byte survives. */
export function spoolLine(entry: SpoolEntry): string {
  const attempts = entry.run.attempts.map((a) => ({ ...a, output: a.output?.toString('base64') ?? null }));
  // jsonSafe: a record that ends up on stderr (or is cat'ed) cannot drive a terminal, and parses back the same.
  return `${jsonSafe(JSON.stringify({ v: 1, run: { ...entry.run, attempts }, schedule: entry.schedule }))}\n`;
}

/** A spool line read back: its record, or why not (`torn`: not even JSON, a write cut short). */
type SpoolLine = { entry: SpoolEntry } | { torn: true } | { rejected: string };

/**
 * Parses and checks a spool line (SPEC §9: whoever could write the spool wrote it). A record that is JSON
 * but not a well-formed run of this cronguard is rejected whole, never half-ingested.
 */
function readSpoolLine(line: string): SpoolLine {
  const data = parseJsonSafely(line);
  // JSON never parses to undefined: it means the line is not JSON.
  if (data === undefined) return { torn: true };
  const bad = badSpoolRecord(data);
  if (bad !== null) return { rejected: bad };
  const { run, schedule } = data as { run: RunRecord & { attempts: Array<{ output: string | null }> }; schedule: JobSchedule | null };
  const attempts = run.attempts.map((a) => {
    const { output, ...rest } = a as unknown as Record<string, unknown> & { output: string | null };
    return output === null ? rest : { ...rest, output: Buffer.from(output, 'base64') };
  });
  return { entry: { run: { ...run, attempts } as unknown as RunRecord, schedule: schedule ?? null } };
}

/**
 * Appends a record to the spool file with one O_APPEND write, so concurrent writers never interleave.
 * Each record starts with a newline of its own: a write torn by a full disk leaves a broken line, never
 * one that swallows the next record (empty lines are skipped on ingest).
 */
export function appendToSpool(spool: string, entry: SpoolEntry): void {
  // A network database's spool lives in §5's directory, which may not exist yet: appendPrivately makes it 0700.
  appendPrivately(spool, `\n${spoolLine(entry)}`);
}

/** Where spooled records that fail their check (SPEC §9) are set aside, for a person to look at. */
function rejectedPath(spool: string): string {
  return `${spool}.rejected`;
}

/** Where lines of the spool that are not records (torn writes) are set aside, for a person to look at. */
function tornPath(spool: string): string {
  return `${spool}.torn`;
}

/**
 * Moves spooled records into the store, each exactly once: the spool is first renamed to a claim named
 * after this process (new records then start a new spool), ingested idempotently by run id, then removed.
 * A claim left by a process that died mid-way is taken over. Returns how many runs were written.
 */
export async function ingestSpool(given: string, store: Store, warn: (message: string) => void = () => {}): Promise<number> {
  // Claims are renamed and removed there: only in a directory no one else can write (SPEC §9).
  const spool = privatePath(given);
  const dir = dirname(spool);
  const base = basename(spool);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n === base || n.startsWith(`${base}.claim-`));
  } catch {
    return 0;
  }
  let written = 0;
  for (const name of names) {
    const claim = name === base ? claimFresh(spool) : takeOverAbandoned(join(dir, name));
    if (!claim) continue;
    // A writer that opened the spool just before the rename appends to the claim: read until it stops
    // growing, taking only whole lines each time; what is left without its newline at the end is torn.
    const torn: string[] = [];
    const rejected: Array<{ line: string; why: string }> = [];
    let partial = Buffer.alloc(0);
    for (let read = 0; statSync(claim).size > read;) {
      const data = readFileSync(claim);
      const fresh = Buffer.concat([partial, data.subarray(read)]);
      const whole = fresh.lastIndexOf(0x0a) + 1;
      for (const line of fresh.subarray(0, whole).toString('utf8').split('\n')) {
        if (!line) continue;
        const parsed = readSpoolLine(line);
        if ('torn' in parsed) torn.push(line);
        else if ('rejected' in parsed) rejected.push({ line, why: parsed.rejected });
        else if (await store.runs.ingest(parsed.entry.run, parsed.entry.schedule)) written++;
      }
      partial = fresh.subarray(whole);
      read = data.length;
    }
    if (partial.length > 0) torn.push(partial.toString('utf8'));
    if (torn.length > 0) {
      appendPrivately(tornPath(spool), torn.map((line) => `${line}\n`).join(''));
      warn(`${torn.length} spooled record${torn.length === 1 ? ' was' : 's were'} torn (a full disk?) and could not be read: set aside in ${tornPath(spool)}`);
    }
    const [first] = rejected;
    if (first) {
      appendPrivately(rejectedPath(spool), rejected.map((r) => `${r.line}\n`).join(''));
      warn(`${rejected.length} spooled record${rejected.length === 1 ? ' was' : 's were'} not valid (${first.why}) and not ingested: set aside in ${rejectedPath(spool)}`);
    }
    unlinkSync(claim);
  }
  return written;
}

/** Renames the live spool to a claim of this process; null when another process got it first. */
function claimFresh(spool: string): string | null {
  const claim = `${spool}.claim-${hostName()}-${process.pid}-${processStartTicks(process.pid) ?? 0}`;
  try {
    renameSync(spool, claim);
    return claim;
  } catch {
    return null;
  }
}

/** A claim whose process is gone is taken over (renamed to ours); a live one is left to its owner. */
function takeOverAbandoned(path: string): string | null {
  const match = /\.claim-(.+)-(\d+)-(\d+)$/.exec(path);
  if (!match) return null;
  const [, host = '', pid = '0', ticks = '0'] = match;
  if (isProcessAlive({ host, pid: Number(pid), startTicks: ticks }) !== false) return null;
  return claimFresh(path);
}
