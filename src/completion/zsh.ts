import { COMMANDS, type CommandSpec, type OptionSpec } from '../shared/options.ts';
import { valueHint } from './values.ts';

/** Text inside a single-quoted zsh word. */
const quote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** A description made safe for an _arguments spec, where [ ] : and \ mean something. */
const escape = (s: string): string => s.replace(/[\\[\]:]/g, (c) => `\\${c}`);

/** One _arguments spec for an option: its description, placeholder and value completion. */
function optionSpec(o: OptionSpec): string {
  const shownDefault = o.default ?? o.defaultText;
  const describe = escape(shownDefault !== undefined ? `${o.describe} (default: ${shownDefault})` : o.describe);
  if (o.name === 'help') return quote(`(- *)--help[${describe}]`);
  if (o.kind === 'boolean') return quote(`--${o.name}[${describe}]`);
  const hint = valueHint(o);
  const action = hint === null ? ' '
    : 'files' in hint ? '_files'
    : hint.commaList ? `_sequence compadd - ${hint.words.join(' ')}`
    : `(${hint.words.join(' ')})`;
  return quote(`${o.kind === 'list' ? '*' : ''}--${o.name}=[${describe}]:${escape(o.value ?? 'VALUE')}:${action}`);
}

/** The positional arguments of a command, for _arguments. */
function positionals(spec: CommandSpec): string[] {
  switch (spec.name) {
    case 'run': return [quote('*:: :_normal')];
    case 'completion': return [quote('1:shell:(bash zsh)')];
    case 'history': case 'stats': case 'forget': return [quote('1:job: ')];
    case 'show': return [quote('1:run id: ')];
    default: return [];
  }
}

/** The zsh completion script (an autoloadable _cronguard function); all options come from the option table. */
export function zshScript(): string {
  const subcommands = COMMANDS.map((c) => quote(`${c.name}:${c.summary}`));
  const branches = COMMANDS.map((c) => [
    `    (${c.name})`,
    `      _arguments -S : \\`,
    ...[...c.options.map(optionSpec), ...(c.name === 'run' ? [quote('(- *)--version[print the version]')] : []), ...positionals(c)]
      .map((s) => `        ${s} \\`),
    '        && return 0 ;;',
  ].join('\n'));
  return `#compdef cronguard
# zsh completion for cronguard, generated from its option table by \`cronguard completion zsh\`.
# Install it as _cronguard in a directory of $fpath, or load it with:  source <(cronguard completion zsh)

_cronguard() {
  local -a subcommands=(
    ${subcommands.join('\n    ')}
  )
  local cmd=run
  if (( CURRENT > 2 )) && [[ -n \${subcommands[(r)\${words[2]}:*]} ]]; then
    cmd=\${words[2]}
    shift words
    (( CURRENT-- ))
  elif (( CURRENT == 2 )) && [[ \${PREFIX} != -* ]]; then
    _describe -t commands 'cronguard command' subcommands && return 0
  fi
  case $cmd in
${branches.join('\n')}
  esac
  return 1
}

# Autoloaded from $fpath the file is _cronguard's body: complete now; sourced, register the function.
if [[ \${funcstack[1]} == _cronguard ]]; then
  _cronguard "$@"
else
  compdef _cronguard cronguard
fi
`;
}
