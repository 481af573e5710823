import type { Clock } from '../shared/time.ts';

/** What a command may touch of the outside world; only the CLI layer builds it, from the real process. */
export interface CliContext {
  /**
   * What time sweep judges and records at: the system's, or the test suite's CRONGUARD_TEST_NOW. It comes
   * from this invocation's own environment, so it moves only the clock of whoever set it.
   */
  clock: Clock;
  argv: readonly string[];
  env: NodeJS.ProcessEnv;
  uid: number;
  home: string;
  /** Whether stdout is a terminal (colours, control-sequence neutralising). */
  stdoutIsTTY: boolean;
  /** The terminal's width when stdout is one (else undefined). */
  stdoutColumns: number | undefined;
  /** Whether a person runs this: stdin or stdout is a terminal (cron gives neither). */
  byHand: boolean;
  stdout: (data: string | Uint8Array) => void;
  stderr: (data: string | Uint8Array) => void;
  /** Resolves once stdout can take more: a long export waits here instead of piling its output up in memory. */
  drain: () => Promise<void>;
}

/** A command's entry point: the exit code it wants. */
export type CommandMain = (args: import('../shared/argv.ts').ParsedArgs, ctx: CliContext) => Promise<number>;
