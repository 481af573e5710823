/**
 * Just enough of sh(1) to find where a crontab command runs cronguard: words with their quoting, split
 * into simple commands at control operators, redirections dropped (the shell removes them before the
 * exec, so they are no part of the argv cronguard records).
 */

/** A word as the command receives it, and whether the shell would have expanded something in it. */
export interface ShellWord {
  text: string;
  expands: boolean;
}

const CONTROL = ['&&', '||', ';;', ';', '|', '&', '(', ')', '\n'];
const REDIRECT = /^(?:&>>?|>>|>&|>\||<<<|<<|<&|<>|>|<)/;

/** The simple commands of a command line, each as its words (redirections and their targets removed). */
export function simpleCommands(line: string): ShellWord[][] {
  const commands: ShellWord[][] = [[]];
  let word: ShellWord | null = null;
  let dropNext = false;
  const end = () => {
    if (word && dropNext) dropNext = false;
    else if (word) commands[commands.length - 1]?.push(word);
    word = null;
  };
  const add = (text: string, expands = false) => {
    word ??= { text: '', expands: false };
    word.text += text;
    word.expands ||= expands;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    const rest = line.slice(i);
    const redirect = REDIRECT.exec(rest);
    if (redirect) {
      // `2>&1`, `>>log`, `> log`: the fd number before and the target after are not arguments.
      if (word && /^\d+$/.test((word as ShellWord).text)) word = null;
      else end();
      dropNext = true;
      i += redirect[0].length - 1;
      continue;
    }
    if (c === ' ' || c === '\t') { end(); continue; }
    if (c === '#' && word === null) break;
    const control = CONTROL.find((op) => rest.startsWith(op));
    if (control) {
      end();
      dropNext = false;
      commands.push([]);
      i += control.length - 1;
      continue;
    }
    if (c === "'") {
      const close = line.indexOf("'", i + 1);
      const stop = close === -1 ? line.length : close;
      add(line.slice(i + 1, stop));
      i = stop;
    } else if (c === '"') {
      i = doubleQuoted(line, i + 1, add);
    } else if (c === '\\') {
      add(line[i + 1] ?? '');
      i++;
    } else if (c === '`' || rest.startsWith('$(')) {
      const stop = substitutionEnd(line, i);
      add(line.slice(i, stop), true);
      i = stop - 1;
    } else {
      add(c, c === '$' || c === '*' || c === '?' || c === '[' || (c === '~' && word === null));
    }
  }
  end();
  return commands.filter((cmd) => cmd.length > 0);
}

/** Reads a double-quoted string from `start` (after the quote); returns the index of the closing quote. */
function doubleQuoted(line: string, start: number, add: (text: string, expands?: boolean) => void): number {
  let i = start;
  for (; i < line.length && line[i] !== '"'; i++) {
    const c = line[i] as string;
    if (c === '\\' && '"\\$`'.includes(line[i + 1] ?? '')) { add(line[i + 1] as string); i++; }
    else add(c, c === '$' || c === '`');
  }
  add('');
  return i;
}

/** Where a `$(...)` or backquoted substitution starting at `start` ends (exclusive). */
function substitutionEnd(line: string, start: number): number {
  if (line[start] === '`') {
    const close = line.indexOf('`', start + 1);
    return close === -1 ? line.length : close + 1;
  }
  let depth = 0;
  for (let i = start + 1; i < line.length; i++) {
    if (line[i] === '(') depth++;
    else if (line[i] === ')' && --depth === 0) return i + 1;
  }
  return line.length;
}
