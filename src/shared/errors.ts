import { quote } from './neutralise.ts';

/** Exit codes cronguard itself uses, as coreutils timeout(1) does. */
export const EXIT = {
  ok: 0,
  /** Something failed or was found: a check, a sweep that reports, a file that cannot be written. */
  failure: 1,
  timeout: 124,
  usage: 125,
  /** cronguard's own trouble that is not the command line's fault: a database it cannot use, a bug. */
  internal: 125,
  cannotExecute: 126,
  notFound: 127,
} as const;

/** The one error type of cronguard: a one-line message for the user and the exit code it stands for. */
export class CronguardError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.usage, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CronguardError';
    this.exitCode = exitCode;
  }
}

/** A refusal of one option's value, quoting the value as the user typed it. */
export function badOption(option: string, value: string, why: string): CronguardError {
  return new CronguardError(`${option} ${quote(value)}: ${why}`);
}

/** The message of anything thrown, for one-line warnings. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
