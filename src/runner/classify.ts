import { signalExitCode } from '../shared/outcome.ts';
import { EXIT } from '../shared/errors.ts';
import type { RunStatus } from '../shared/types.ts';
import type { ChildExit } from './spawn.ts';

/** What one attempt came to: its recorded status and the exit code cronguard passes on. */
export interface Verdict {
  status: RunStatus;
  exitCode: number | null;
  signal: string | null;
  /** The code cronguard exits with if this is the last attempt. */
  code: number;
  reason: string | null;
}

export { signalExitCode };

/**
 * Classifies how an attempt ended (SPEC §2 exit codes, as coreutils timeout uses them): an interrupt
 * of cronguard wins, then our timeout, then how the command itself ended.
 */
export function classify(exit: ChildExit, timedOut: boolean, interruptedBy: NodeJS.Signals | null, command: string): Verdict {
  if (exit.spawnError) {
    const notFound = exit.spawnError === 'ENOENT';
    const code = notFound ? EXIT.notFound : EXIT.cannotExecute;
    const why = notFound ? 'command not found' : `command cannot be executed (${exit.spawnError})`;
    return { status: 'error', exitCode: code, signal: null, code, reason: `${why}: ${command}` };
  }
  if (interruptedBy) {
    return { status: 'killed', exitCode: exit.exitCode, signal: exit.signal ?? interruptedBy, code: signalExitCode(interruptedBy), reason: `cronguard received ${interruptedBy}` };
  }
  if (timedOut) {
    return { status: 'timeout', exitCode: exit.exitCode, signal: exit.signal, code: EXIT.timeout, reason: 'timed out' };
  }
  if (exit.signal) {
    return { status: 'killed', exitCode: null, signal: exit.signal, code: signalExitCode(exit.signal), reason: `killed by ${exit.signal}` };
  }
  const code = exit.exitCode ?? 0;
  return { status: code === 0 ? 'success' : 'failed', exitCode: code, signal: null, code, reason: null };
}
