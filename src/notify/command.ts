import { describeError } from '../shared/errors.ts';
import { spawn } from 'node:child_process';
import type { Delivery } from './http.ts';
import { remaining } from './http.ts';
import { trackGroup } from './abort.ts';

/** The shell's script: take the command out of the environment, then run it (see runNotifyCommand). */
const SHELL_SCRIPT = 'cronguard_notify_command=$CRONGUARD_NOTIFY_COMMAND; unset CRONGUARD_NOTIFY_COMMAND; eval "$cronguard_notify_command"';

/** How much of the command's stderr is kept for the warning when it fails. */
const STDERR_TAIL = 300;

/**
 * Runs a --notify-command through /bin/sh (users write pipelines) with the event JSON on stdin and
 * CRONGUARD_* variables, in its own process group, killed whole when the delivery timeout passes.
 * The shell reads the command from CRONGUARD_NOTIFY_COMMAND, not from its argv: a command holding a
 * token stays out of `ps` (SPEC §9). It unsets the variable before running the command, so the command's
 * own children never see it: a cronguard the command starts would take it as its own notify command, and a
 * failure there would notify through the same command again, without end. Exit 0 is delivered; anything
 * else is tried again later.
 */
export function runNotifyCommand(command: string, stdin: string, env: NodeJS.ProcessEnv, deadline: number): Promise<Delivery> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', SHELL_SCRIPT], {
      detached: true, stdio: ['pipe', 'ignore', 'pipe'], env: { ...env, CRONGUARD_NOTIFY_COMMAND: command },
    });
    const untrack = child.pid === undefined ? () => false : trackGroup(child.pid);
    let stderr = '';
    let timedOut = false;
    child.stderr.on('data', (d: Buffer) => { stderr = (stderr + d.toString('utf8')).slice(-STDERR_TAIL); });
    // A command that does not read its stdin closes it early: that is not a failure.
    child.stdin.on('error', () => {});
    child.stdin.end(stdin);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-(child.pid ?? 0), 'SIGKILL');
      } catch {
        // already gone
      }
    }, remaining(deadline));
    child.on('error', (error) => {
      clearTimeout(timer);
      untrack();
      resolve({ ok: false, error: `cannot run /bin/sh: ${describeError(error)}`, permanent: false });
    });
    // 'exit', not 'close': a background process the command left holding stderr must not hold us.
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      untrack();
      if (code === 0) return resolve({ ok: true });
      const why = timedOut ? 'still running at the delivery timeout' : signal ? `killed by ${signal}` : `exited ${code}`;
      const said = stderr.trim().split('\n').pop();
      resolve({ ok: false, error: `command ${why}${said ? `: ${said}` : ''}`, permanent: false });
    });
  });
}
