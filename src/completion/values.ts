import type { OptionSpec } from '../shared/options.ts';

/** What a shell should offer as an option's value: files, a fixed set of words (maybe a comma list), or nothing. */
export type ValueHint = { files: true } | { words: readonly string[]; commaList: boolean } | null;

/** The value hint of an option, from the option table: its choices, or files for a PATH or FILE placeholder. */
export function valueHint(option: OptionSpec): ValueHint {
  if (option.kind === 'boolean') return null;
  if (option.value === 'PATH' || option.value === 'FILE') return { files: true };
  return option.choices ? { words: option.choices, commaList: option.commaList === true } : null;
}

/** The shells `cronguard completion` writes for. */
export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];
