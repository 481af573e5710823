import { execa } from 'execa';

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
  /** Resolves when nothing holds the output pipes open any more. */
  outputEnded: Promise<void>;
  /** Stops reading output still held open by a leftover process. */
  detachOutput(): void;
}

/** The spawn seam: tests and the runner start commands only through this. */
export type Spawner = (argv: readonly string[]) => SpawnedCommand;

/**
 * Starts argv directly (no shell) as the leader of a new process group and session, so a timeout or an
 * interrupt can signal everything it starts. stdout and stderr come back merged in arrival order and are
 * streamed, never buffered by execa: its maxBuffer would close the job's pipe mid-run.
 */
export const spawnCommand: Spawner = (argv) => {
  const [file = '', ...args] = argv;
  const subprocess = execa(file, args, {
    detached: true,
    stdin: 'inherit',
    buffer: false,
    encoding: 'buffer',
    reject: false,
    cleanup: false,
    stripFinalNewline: false,
  });
  // Both pipes feed one listener as chunks arrive (execa's `all` does the same through a stream merger
  // that costs a cron tick several milliseconds to set up).
  const pipes = [subprocess.stdout, subprocess.stderr].filter((p) => p !== null);
  // Swallow stream errors: a destroyed pipe must not crash the wrapper.
  for (const pipe of pipes) pipe.on('error', () => {});
  const exited = new Promise<ChildExit>((resolve) => {
    subprocess.once('exit', (exitCode, signal) => resolve({ exitCode, signal, spawnError: null }));
    void subprocess.then((result) => {
      const code = (result as { code?: string }).code;
      if (result.exitCode === undefined && result.signal === undefined) {
        resolve({ exitCode: null, signal: null, spawnError: code ?? 'EUNKNOWN' });
      }
    });
  });
  const outputEnded = Promise.all(pipes.map((pipe) => new Promise<void>((resolve) => {
    pipe.once('close', () => resolve());
    pipe.once('end', () => resolve());
  }))).then(() => {});
  return {
    pid: subprocess.pid,
    onOutput: (listener) => { for (const pipe of pipes) pipe.on('data', listener); },
    exited,
    outputEnded,
    detachOutput() {
      for (const pipe of pipes) pipe.destroy();
    },
  };
};
