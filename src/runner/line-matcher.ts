import { StringDecoder } from 'node:string_decoder';
import type { Worker } from 'node:worker_threads';
import { nowMs } from '../shared/time.ts';

/** Lines longer than this are tested in pieces of this size: no match ever sees more text than this. */
export const MAX_LINE = 64 * 1024;
/** Matching may fall this far behind the output (or take this long after it ended) before it is given up. */
export const MATCH_BUDGET_MS = 5000;
/** Output waiting to be matched beyond this is not queued: matching is given up instead (bounded memory). */
const MAX_PENDING_BYTES = 16 * 1024 * 1024;

// The worker: tests each batch of lines in order, answers the first match or how much it got through.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const regex = new RegExp(workerData.source, workerData.flags);
parentPort.on('message', ({ lines, bytes }) => {
  for (const line of lines) {
    regex.lastIndex = 0;
    if (regex.test(line)) return parentPort.postMessage({ matched: line });
  }
  parentPort.postMessage({ bytes });
});`;

/**
 * Tests every line of the whole output stream (not only the kept part) against --fail-on-output's regex,
 * as grep would, off the main thread: a regular expression that backtracks for minutes (`^(a+)+$`) runs in
 * a worker, so it can never hold up the timeout, the kill, signal forwarding or the heartbeat. The bound:
 * each line is tested in pieces of at most MAX_LINE characters, and matching that falls MATCH_BUDGET_MS
 * behind (or, for a command that succeeded, takes that long after its output ended) is given up, the
 * worker killed, the output counted as not matching and `gaveUp` saying why.
 */
export class LineMatcher {
  private readonly decoder = new StringDecoder('utf8');
  private partial = '';
  private worker: Worker | null;
  private pendingBytes = 0;
  private lastProgress = nowMs();
  private readonly watchdog: NodeJS.Timeout;
  private settled: (() => void) | null = null;
  /** The first matching line, or null. */
  matched: string | null = null;
  /** Why matching stopped before the output was fully tested, or null. */
  gaveUp: string | null = null;

  constructor(regex: RegExp) {
    // Loaded here, not at the top: only a run with --fail-on-output pays for worker threads.
    const { Worker: WorkerThread } = require('node:worker_threads') as typeof import('node:worker_threads');
    this.worker = new WorkerThread(WORKER_SOURCE, { eval: true, workerData: { source: regex.source, flags: regex.flags } });
    this.worker.unref();
    this.worker.on('message', (m: { matched?: string; bytes?: number }) => {
      if (m.matched !== undefined) {
        this.matched = m.matched;
        this.stop();
        return;
      }
      this.pendingBytes -= m.bytes ?? 0;
      this.lastProgress = nowMs();
      if (this.pendingBytes === 0) this.settled?.();
    });
    this.worker.on('error', (error) => this.giveUp(`the matcher failed: ${error.message}`));
    this.watchdog = setInterval(() => {
      if (this.pendingBytes > 0 && nowMs() - this.lastProgress > MATCH_BUDGET_MS) this.giveUp(`matching fell ${MATCH_BUDGET_MS / 1000}s behind the output (a regular expression that backtracks?)`);
    }, 250);
    this.watchdog.unref();
  }

  /** Takes one chunk of output; it is matched in the background. */
  write(chunk: Uint8Array): void {
    if (!this.worker) return;
    const lines = (this.partial + this.decoder.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))).split('\n');
    this.partial = lines.pop() ?? '';
    const pieces = lines.flatMap(piecesOf);
    while (this.partial.length > MAX_LINE) {
      pieces.push(this.partial.slice(0, MAX_LINE));
      this.partial = this.partial.slice(MAX_LINE);
    }
    this.send(pieces);
  }

  /**
   * The first matching line once the output ended. Only a command that succeeded needs the answer (a
   * failed check can only turn a success into a failure): otherwise matching stops at once. Waits at most
   * MATCH_BUDGET_MS for the worker to catch up.
   */
  async finish(needed: boolean): Promise<string | null> {
    if (needed && this.worker) {
      this.send(piecesOf(this.partial + this.decoder.end()));
      if (this.pendingBytes > 0) {
        let timer: NodeJS.Timeout | undefined;
        await new Promise<void>((resolve) => {
          this.settled = resolve;
          timer = setTimeout(resolve, MATCH_BUDGET_MS);
        });
        clearTimeout(timer);
        if (this.pendingBytes > 0 && this.matched === null) this.giveUp(`matching took over ${MATCH_BUDGET_MS / 1000}s after the output ended (a regular expression that backtracks?)`);
      }
    }
    this.stop();
    return this.matched;
  }

  /** Posts lines to the worker, unless too much is waiting already. */
  private send(pieces: string[]): void {
    if (!this.worker || pieces.length === 0) return;
    const lines = pieces.map((p) => (p.endsWith('\r') ? p.slice(0, -1) : p));
    const bytes = lines.reduce((sum, l) => sum + l.length + 1, 0);
    if (this.pendingBytes + bytes > MAX_PENDING_BYTES) {
      this.giveUp(`more than ${MAX_PENDING_BYTES / 1024 / 1024} MiB of output waited to be matched`);
      return;
    }
    if (this.pendingBytes === 0) this.lastProgress = nowMs();
    this.pendingBytes += bytes;
    this.worker.postMessage({ lines, bytes });
  }

  /** Stops matching for good, with the reason it is incomplete. */
  private giveUp(why: string): void {
    if (this.matched === null && this.gaveUp === null) this.gaveUp = why;
    this.stop();
  }

  /** Ends the worker (it may be deep in a backtracking match) and the watchdog. */
  private stop(): void {
    clearInterval(this.watchdog);
    void this.worker?.terminate();
    this.worker = null;
    this.settled?.();
  }
}

/** A line as the pieces of at most MAX_LINE characters it is tested in. */
function piecesOf(line: string): string[] {
  if (line.length <= MAX_LINE) return [line];
  const pieces: string[] = [];
  for (let i = 0; i < line.length; i += MAX_LINE) pieces.push(line.slice(i, i + MAX_LINE));
  return pieces;
}
