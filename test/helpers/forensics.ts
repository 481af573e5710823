import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { AttemptRecord, RunRecord } from '../../src/shared/types.ts';
import { BIN, cronEnv } from './cli.ts';

/** A run as `history --json` prints it (SPEC §6): the record's public fields; `output` only from show. */
export type RunJson = Pick<RunRecord, 'id' | 'job' | 'status' | 'exitCode' | 'signal' | 'startedAt' | 'heartbeatAt' | 'endedAt'
  | 'durationMs' | 'host' | 'pid' | 'command'> & { attempts: Array<Omit<AttemptRecord, 'reason' | 'output'> & { output?: string }> };

/** Whether util-linux script(1) can give cronguard a pseudo-terminal here. */
export const HAS_SCRIPT = existsSync('/usr/bin/script') && spawnSync('/usr/bin/script', ['-qec', 'true', '/dev/null']).status === 0;

/** Runs cronguard with its stdout on a pseudo-terminal (through script(1)); what the terminal received. */
export function onTerminal(args: readonly string[], env: NodeJS.ProcessEnv = cronEnv()): { code: number | null; out: string } {
  const quote = (w: string) => `'${w.replaceAll("'", `'\\''`)}'`;
  const line = [process.execPath, BIN, ...args].map(quote).join(' ');
  const r = spawnSync('/usr/bin/script', ['-qec', line, '/dev/null'], { env: { ...env, TERM: env['TERM'] ?? 'xterm' }, timeout: 30_000 });
  return { code: r.status, out: r.stdout.toString('utf8') };
}

/** A minimal RFC 4180 reader: records of fields, quoted fields may hold commas, quotes and line breaks. */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { record.push(field); field = ''; }
    else if (c === '\r' && text[i + 1] === '\n') { record.push(field); records.push(record); record = []; field = ''; i++; }
    else field += c;
  }
  if (field !== '' || record.length) throw new Error(`CSV does not end with CRLF: ${JSON.stringify(text.slice(-40))}`);
  return records;
}
