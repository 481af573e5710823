import { COMMANDS, type CommandSpec } from '../shared/options.ts';
import { valueHint } from './values.ts';

/** The long options of a command as the shell types them. */
const flags = (spec: CommandSpec): string => spec.options.map((o) => `--${o.name}`).join(' ');

/** One `case` branch per option value the shell can help with; free values get no suggestion. */
function valueCases(): string[] {
  const lines: string[] = [];
  for (const spec of COMMANDS) {
    for (const o of spec.options) {
      if (o.kind === 'boolean') continue;
      const hint = valueHint(o);
      const action = hint === null ? 'compopt +o default 2>/dev/null'
        : 'files' in hint ? 'COMPREPLY=($(compgen -f -- "$cur"))'
        : hint.commaList ? `_cronguard_comma_list '${hint.words.join(' ')}'`
        : `COMPREPLY=($(compgen -W '${hint.words.join(' ')}' -- "$cur"))`;
      lines.push(`    ${spec.name}:--${o.name}) ${action}; return ;;`);
    }
  }
  return lines;
}

/** The bash completion script: every command and option comes from the option table. */
export function bashScript(): string {
  const run = COMMANDS.find((c) => c.name === 'run') as CommandSpec;
  const names = COMMANDS.map((c) => c.name).join('|');
  const takesValue = run.options.filter((o) => o.kind !== 'boolean').map((o) => `--${o.name}`).join(' ');
  return `# bash completion for cronguard, generated from its option table by \`cronguard completion bash\`.
# Load it with:  source <(cronguard completion bash)

# Completes the wrapped command (after "--" or the run mode's first plain word) with its own completion.
_cronguard_command() {
  if declare -F _command_offset >/dev/null; then _command_offset "$1"; return; fi
  if [ "$COMP_CWORD" -eq "$1" ]; then COMPREPLY=($(compgen -c -- "\${COMP_WORDS[COMP_CWORD]}" | sort -u)); fi
}

_cronguard() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]} cmd=run i=1 w
  COMPREPLY=()
  case \${COMP_WORDS[1]-} in
    ${names}) cmd=\${COMP_WORDS[1]}; i=2 ;;
  esac
  if [ "$cmd" = run ]; then
    # The job's command line starts after "--" or at the first word that is not an option.
    for ((; i < COMP_CWORD; i++)); do
      w=\${COMP_WORDS[i]}
      if [ "$w" = -- ]; then _cronguard_command $((i + 1)); return; fi
      case " ${takesValue} " in *" $w "*) ((i++)); continue ;; esac
      case $w in -*) ;; *) _cronguard_command "$i"; return ;; esac
    done
  fi
  case $cmd:$prev in
${valueCases().join('\n')}
  esac
  case $cur in
    -*) COMPREPLY=($(compgen -W "$(_cronguard_flags "$cmd")" -- "$cur")) ;;
    *)
      if [ "$COMP_CWORD" -eq 1 ]; then
        COMPREPLY=($(compgen -W "${COMMANDS.map((c) => c.name).join(' ')}" -- "$cur"))
      elif [ "$cmd" = run ]; then
        _cronguard_command "$COMP_CWORD"
      elif [ "$cmd" = completion ]; then
        COMPREPLY=($(compgen -W "bash zsh" -- "$cur"))
      fi ;;
  esac
}

# Completes the last item of a comma-separated list ("failed,ti" -> "failed,timeout"), keeping what precedes it.
_cronguard_comma_list() {
  local head= last=$cur
  case $cur in *,*) head=\${cur%,*},; last=\${cur##*,} ;; esac
  COMPREPLY=($(compgen -W "$1" -P "$head" -- "$last"))
  compopt -o nospace 2>/dev/null
}

# The options of one command.
_cronguard_flags() {
  case $1 in
${COMMANDS.map((c) => `    ${c.name}) echo "${flags(c)}${c.name === 'run' ? ' --version' : ''}" ;;`).join('\n')}
  esac
}

complete -o default -F _cronguard cronguard
`;
}
