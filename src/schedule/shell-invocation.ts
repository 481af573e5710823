/**
 * Where a crontab command runs cronguard as a command, as the shell would: after control operators and
 * reserved words, behind wrappers (env, nice, flock ...), inside `sh -c` scripts.
 */
import { type ShellWord, simpleCommands } from './shell.ts';

/** One place a command line runs cronguard: the word that names it, its arguments, and assignments in front. */
export interface Invocation {
  /** How the command names cronguard: `cronguard`, `/usr/local/bin/cronguard`, `~/bin/cronguard` ... */
  program: string;
  args: ShellWord[];
  /** VAR=value words the shell or `env` put into cronguard's environment (PATH=... changes where it is looked up). */
  assignments: Map<string, string>;
}

/** Words that open a compound command or negate one: the command proper follows them. */
const RESERVED = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time', 'exec', 'nohup', 'setsid', 'command']);
const SHELLS = /^(?:sh|bash|dash|ksh|mksh|zsh|ash|busybox)$/;
const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/s;

const basename = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/**
 * Every place a command line runs cronguard as a command: the first word of a simple command (after `&&`,
 * `||`, `;`, `|`, `then`, `do`, `!`, assignments), or the command that `env`, `nice`, `ionice`, `flock`,
 * `timeout`, `nohup`, `exec`, `sudo`, `chrt`, `stdbuf` run, or a line of an `sh -c` / `flock -c` / `su -c`
 * script. A mere argument named cronguard (`logger -t cronguard`, `test -x /usr/bin/cronguard`) is not one.
 */
export function cronguardInvocations(line: string, depth = 0): Invocation[] {
  const found: Invocation[] = [];
  for (const words of simpleCommands(line)) {
    const target = commandOf(words);
    if (!target) continue;
    const { at, assignments, script } = target;
    if (script !== null) {
      if (depth < 3) found.push(...cronguardInvocations(script, depth + 1).map((inv) => ({ ...inv, assignments: new Map([...assignments, ...inv.assignments]) })));
      continue;
    }
    const program = words[at]?.text ?? '';
    if (basename(program) === 'cronguard') found.push({ program, args: words.slice(at + 1), assignments });
  }
  return found;
}

/** The index of the word a simple command runs (wrappers skipped), or the script it hands to a shell. */
function commandOf(words: ShellWord[]): { at: number; assignments: Map<string, string>; script: string | null } | null {
  const assignments = new Map<string, string>();
  let i = 0;
  for (let guard = 0; guard < 20 && i < words.length; guard++) {
    const word = (words[i] as ShellWord).text;
    const assignment = ASSIGNMENT.exec(word);
    if (assignment) { assignments.set(assignment[1] as string, assignment[2] as string); i++; continue; }
    if (RESERVED.has(word)) {
      // `command -v x` and `command -V x` only ask where x is; `time -p` is a flag of time.
      if (word === 'command' && /^-[vV]/.test(words[i + 1]?.text ?? '')) return null;
      i++;
      while (/^-/.test(words[i]?.text ?? '') && words[i]?.text !== '--' && (word === 'time' || word === 'command' || word === 'exec' || word === 'setsid')) i++;
      if (words[i]?.text === '--') i++;
      continue;
    }
    const name = basename(word);
    const skip = wrapperArgs(name, words, i + 1, assignments);
    if (skip === null) break;
    if (typeof skip === 'string') return { at: -1, assignments, script: skip };
    i = skip;
  }
  return i < words.length ? { at: i, assignments, script: null } : null;
}

/** Options of a wrapper that take a value (so the value is not taken for the command). */
const VALUED: Record<string, RegExp> = {
  nice: /^-(?:n|-adjustment)$/,
  ionice: /^-[cnp]$/,
  flock: /^-(?:w|E|-timeout|-conflict-exit-code)$/,
  timeout: /^-(?:s|k|-signal|-kill-after)$/,
  env: /^-(?:u|C|S|-unset|-chdir|-split-string)$/,
  sudo: /^-[ugCDhpRrTt]$/,
  stdbuf: /^-[ioe]$/,
  chrt: /^$/,
  su: /^-[cgGsw]$/,
  runuser: /^-[gGsw]$/,
};

/**
 * Where the wrapped command starts when `name` is a wrapper (the index of its first word), the script of a
 * `-c` form, or null when `name` is the command itself.
 */
function wrapperArgs(name: string, words: ShellWord[], from: number, assignments: Map<string, string>): number | string | null {
  let i = from;
  const text = (k: number) => words[k]?.text ?? '';
  if (SHELLS.test(name)) {
    if (name === 'busybox' && text(i) === 'sh') i++;
    for (; /^[-+]/.test(text(i)); i++) if (/^-[a-z]*c/.test(text(i))) return text(i + 1);
    return null;
  }
  const valued = VALUED[name];
  if (!valued) return null;
  if (name === 'su' || name === 'runuser') {
    for (; i < words.length; i++) {
      if (text(i) === '-c' || text(i) === '--command') return text(i + 1);
      if (valued.test(text(i))) i++;
    }
    return null;
  }
  for (; /^-/.test(text(i)) && text(i) !== '-' && text(i) !== '--'; i++) {
    if (name === 'flock' && /^-(?:c|-command)$/.test(text(i))) return text(i + 1);
    if (valued.test(text(i))) i++;
  }
  if (text(i) === '--') i++;
  if (name === 'env') {
    for (let m = ASSIGNMENT.exec(text(i)); m; m = ASSIGNMENT.exec(text(++i))) assignments.set(m[1] as string, m[2] as string);
  }
  if (name === 'flock') {
    i++; // the lock file or descriptor
    if (/^-(?:c|-command)$/.test(text(i))) return text(i + 1);
  }
  if (name === 'timeout') i++; // the duration
  if (name === 'chrt') i++; // the priority
  if (name === 'sudo') for (let m = ASSIGNMENT.exec(text(i)); m; m = ASSIGNMENT.exec(text(++i))) assignments.set(m[1] as string, m[2] as string);
  return i < words.length ? i : null;
}
