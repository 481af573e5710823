import { didYouMean } from './did-you-mean.ts';
import { CronguardError } from './errors.ts';
import { COMMANDS, type CommandName, type CommandSpec, commandSpec } from './options.ts';

/** What the command line said, before any value is checked. */
export interface ParsedArgs {
  command: CommandName;
  /** Option values by name: a string, true for a flag, a string array for a list option. */
  options: Record<string, string | boolean | string[]>;
  positionals: string[];
  version: boolean;
  /** Run mode: how the command was told apart, for hints on a command not found (see commands/typo.ts). */
  commandStart?: { afterDashDash: boolean; optionsBefore: readonly string[] };
}

const SUBCOMMANDS = new Set<string>(COMMANDS.map((c) => c.name));

/**
 * Reads argv with the option table. It is ours rather than yargs' parser because it runs on every cron
 * tick: loading yargs costs about 40 ms there, more than everything else cronguard does on a run.
 */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const first = argv[0];
  const named = first !== undefined && SUBCOMMANDS.has(first);
  const spec = commandSpec(named ? (first as CommandName) : 'run');
  return { command: spec.name, ...scan(spec, named ? argv.slice(1) : argv) };
}

/** Whether an argument asks for the version: taken among any command's options, never from the wrapped command's. */
const isVersion = (arg: string): boolean => arg === '--version' || arg === '-V';

/** Splits the arguments of one command into options and positionals. */
function scan(spec: CommandSpec, args: readonly string[]): Omit<ParsedArgs, 'command'> {
  const options: ParsedArgs['options'] = {};
  const positionals: string[] = [];
  let version = false;
  let commandStart: ParsedArgs['commandStart'];
  const runMode = spec.name === 'run';
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '--') {
      positionals.push(...args.slice(i + 1));
      if (runMode) commandStart = { afterDashDash: true, optionsBefore: args.slice(0, i) };
      break;
    }
    if (arg === '-h') {
      options['help'] = true;
      continue;
    }
    if (isVersion(arg)) {
      version = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      // The run mode's command starts at its first word: everything after it belongs to the command.
      if (runMode) {
        positionals.push(...args.slice(i));
        commandStart = { afterDashDash: false, optionsBefore: args.slice(0, i) };
        break;
      }
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') ? arg.slice(2, eq === -1 ? undefined : eq) : arg.slice(1);
    const option = spec.options.find((o) => o.name === name);
    if (!option) throw unknownOption(spec, arg, name);
    if (option.kind === 'boolean') {
      if (eq !== -1) throw new CronguardError(`--${name} takes no value, got ${JSON.stringify(arg)}`);
      options[name] = true;
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (args[i + 1] !== '--') value = args[++i];
    if (value === undefined) throw new CronguardError(`--${name} needs a value (${option.value ?? 'VALUE'})`);
    if (option.kind === 'list') options[name] = [...((options[name] as string[] | undefined) ?? []), value];
    else options[name] = value;
  }
  if (positionals.length > spec.maxPositionals) {
    throw new CronguardError(`unexpected argument ${JSON.stringify(positionals[spec.maxPositionals])} (usage: ${spec.usage})`);
  }
  return { options, positionals, version, ...(commandStart ? { commandStart } : {}) };
}

/** The refusal of an unknown option, with the closest option of this command, or the command that has it. */
function unknownOption(spec: CommandSpec, arg: string, name: string): CronguardError {
  const known = [...spec.options.map((o) => o.name), 'version'];
  let hint = didYouMean(name, known, (n) => `--${n}`);
  const elsewhere = COMMANDS.find((c) => c.options.some((o) => o.name === name));
  if (!hint && elsewhere) hint = `; --${name} is an option of cronguard ${elsewhere.name}`;
  const where = spec.name === 'run' ? 'the run mode' : `"${spec.name}"`;
  return new CronguardError(`unknown option ${JSON.stringify(arg)} for ${where}${hint} (see cronguard ${spec.name === 'run' ? '' : `${spec.name} `}--help)`);
}
