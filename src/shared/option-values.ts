/**
 * Reading an option's value the way the option table says: the given text or the table's default, through
 * the table's parser. Commands read their options only through these, so a default or a check exists once.
 */
import type { ParsedArgs } from './argv.ts';
import type { OptionParser } from './option-parse.ts';
import type { OptionSpec } from './options.ts';

type Named = Pick<OptionSpec, 'name'>;
/** Parsed arguments, or just their options. */
type Args = Pick<ParsedArgs, 'options'>;

/** The option's value parsed; its parsed default when absent (undefined when it has none). */
export function optionValue<T>(args: Args, option: Named & { parse: OptionParser<T>; default: string }): T;
export function optionValue<T>(args: Args, option: Named & { parse: OptionParser<T> }): T | undefined;
export function optionValue(args: Args, option: Named & { default?: string }): string | undefined;
export function optionValue(args: Args, option: Named & { parse?: OptionParser<unknown>; default?: string }): unknown {
  const given = args.options[option.name];
  const text = typeof given === 'string' ? given : option.default;
  if (text === undefined) return undefined;
  return option.parse ? option.parse(text, `--${option.name}`) : text;
}

/** Whether a flag (a boolean option) was given. */
export function flagGiven(args: Args, option: Named): boolean {
  return args.options[option.name] === true;
}

/** Every value of a repeatable option, each parsed, in the order given. */
export function listValues<T>(args: Args, option: Named & { parse: OptionParser<T> }): T[];
export function listValues(args: Args, option: Named): string[];
export function listValues(args: Args, option: Named & { parse?: OptionParser<unknown> }): unknown[] {
  const given = args.options[option.name];
  const texts = Array.isArray(given) ? given : [];
  return option.parse ? texts.map((t) => (option.parse as OptionParser<unknown>)(t, `--${option.name}`)) : texts;
}

/** Whether the option was given at all (a value or a flag). */
export function optionGiven(args: Args, option: Named): boolean {
  return args.options[option.name] !== undefined;
}
