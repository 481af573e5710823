import type { OptionSpec } from '../shared/options.ts';
import { RUN_STATUSES } from '../shared/types.ts';

/** What a shell should offer as an option's value: files, a fixed set of words, or nothing. */
export type ValueHint = { files: true } | { words: readonly string[] } | null;

/** Fixed words per option name; every other value is free text the shell cannot guess. */
const WORDS: Record<string, readonly string[]> = {
  overlap: ['allow', 'skip', 'wait'],
  status: RUN_STATUSES,
  'retry-on': ['timeout'],
};

/** The value hint of an option, read from its placeholder (PATH and FILE are files). */
export function valueHint(option: OptionSpec): ValueHint {
  if (option.kind === 'boolean') return null;
  if (option.value === 'PATH' || option.value === 'FILE') return { files: true };
  const words = WORDS[option.name];
  return words ? { words } : null;
}

/** The shells `cronguard completion` writes for. */
export const SHELLS = ['bash', 'zsh'] as const;
export type Shell = (typeof SHELLS)[number];
