import { execa } from 'execa';
import type { Readable } from 'node:stream';
import { mergedOutput } from './merged-output.ts';

/** How the direct child ended, or why it never started. */
export interface ChildExit {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** errno code when the command could not be started (ENOENT, EACCES, ...). */
  spawnError: string | null;
}

/** A started command: its group leader's pid, its merged output and its end. */
export interface SpawnedCommand {
  pid: number | undefined;
  onOutput(listener: (chunk: Uint8Array) => void): void;
  /** Resolves when the direct child exits or fails to start (not waiting for its output to end). */
  exited: Promise<ChildExit>;
  /** Resolves when nothing holds the output open any more. */
  outputEnded: Promise<void>;
  /** Stops reading output still held open by a leftover process. */
  detachOutput(): void;
}

/** The spawn seam: tests and the runner start commands only through this; `env` is added to cronguard's own. */
export type Spawner = (argv: readonly string[], env: Record<string, string>) => Promise<SpawnedCommand>;

/**
 * Starts argv directly (no shell) as the leader of a new process group and session, so a timeout or an
 * interrupt can signal everything it starts. stdout and stderr share one socket (see merged-output.ts),
 * so they come back in the order they were written; the output is streamed, never buffered by execa: its
 * maxBuffer would close the job's socket mid-run.
 */
export const spawnCommand: Spawner = async (argv, env) => {
  const [file = '', ...args] = argv;
  const merged = await mergedOutput();
  const subprocess = execa(file, args, {
    detached: true,
    stdin: 'inherit',
    stdout: merged?.writer ?? 'pipe',
    stderr: merged?.writer ?? 'pipe',
    env,
    buffer: false,
    encoding: 'buffer',
    reject: false,
    cleanup: false,
    stripFinalNewline: false,
  });
  // The child holds its own copies of the writing end; ours would keep the output from ever ending.
  merged?.writer.destroy();
  const streams: Readable[] = merged ? [merged.reader] : [subprocess.stdout, subprocess.stderr].filter((p) => p !== null);
  // Swallow stream errors: a destroyed socket must not crash the wrapper.
  for (const stream of streams) stream.on('error', () => {});
  const exited = new Promise<ChildExit>((resolve) => {
    subprocess.once('exit', (exitCode, signal) => resolve({ exitCode, signal, spawnError: null }));
    void subprocess.then((result) => {
      const code = (result as { code?: string }).code;
      if (result.exitCode === undefined && result.signal === undefined) {
        resolve({ exitCode: null, signal: null, spawnError: code ?? 'EUNKNOWN' });
      }
    });
  });
  const outputEnded = Promise.all(streams.map((stream) => new Promise<void>((resolve) => {
    stream.once('close', () => resolve());
    stream.once('end', () => resolve());
  }))).then(() => {});
  return {
    pid: subprocess.pid,
    onOutput: (listener) => {
      for (const stream of streams) {
        stream.on('data', listener);
        stream.resume();
      }
    },
    exited,
    outputEnded,
    detachOutput() {
      for (const stream of streams) stream.destroy();
    },
  };
};
