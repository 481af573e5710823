/**
 * The parsers the option table hands each value to: each checks the text and converts it, or throws the
 * one-line usage error naming the option and the value (exit 125).
 */
import { systemClock } from './time.ts';
import { parseCount } from './count.ts';
import { didYouMean } from './did-you-mean.ts';
import { DURATION_HINT, durationMs, parseDuration } from './duration.ts';
import { badOption, describeError } from './errors.ts';
import { quote } from './neutralise.ts';
import { parseInstant } from './instant.ts';
import { JOB_NAME } from './job-name.ts';
import { readSecretFile } from './secret.ts';
import { parseSize } from './size.ts';
import { RUN_STATUSES, type RetryOn, type RunStatus } from './types.ts';
import { parseWhen } from './when.ts';

/** Converts an option's text (`flag` is how the user wrote the option, e.g. --timeout). */
export type OptionParser<T> = (text: string, flag: string) => T;

/** A duration within [min, max] milliseconds. */
export const duration = (min = 0, max = Number.MAX_SAFE_INTEGER): OptionParser<number> => (text, flag) => parseDuration(flag, text, min, max);

/** A whole number within [min, max]. */
export const count = (min: number, max: number): OptionParser<number> => (text, flag) => parseCount(flag, text, min, max);

/** A size in bytes within [min, max]. */
export const size = (min: number, max: number): OptionParser<number> => (text, flag) => parseSize(flag, text, min, max);

/** "a, b or c". */
export const orList = (words: readonly string[]): string => (words.length < 2 ? words.join('') : `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`);

/** One word of `choices`. */
export function oneOf<const W extends string>(choices: readonly W[]): OptionParser<W> {
  return (text, flag) => {
    if ((choices as readonly string[]).includes(text)) return text as W;
    throw badOption(flag, text, `expected ${orList(choices)}${didYouMean(text, choices)}`);
  };
}

/** --name: the job's identity (SPEC §2). */
export const jobName: OptionParser<string> = (text, flag) => {
  if (!JOB_NAME.test(text)) throw badOption(flag, text, 'expected 1-128 characters of A-Z a-z 0-9 . _ -');
  return text;
};

/** --status: a comma-separated list of run statuses, each checked. */
export const statusList: OptionParser<RunStatus[]> = (text, flag) => {
  const statuses = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const wrong = statuses.find((s) => !(RUN_STATUSES as readonly string[]).includes(s));
  if (statuses.length === 0 || wrong !== undefined) {
    const why = wrong === undefined ? 'no status given' : `${quote(wrong)} is not a status`;
    throw badOption(flag, text, `${why}; expected some of ${RUN_STATUSES.join(', ')}${wrong === undefined ? '' : didYouMean(wrong, RUN_STATUSES)}`);
  }
  return statuses as RunStatus[];
};

/** --retry-on: exit codes (1-255) and/or "timeout". */
export const retryOn: OptionParser<RetryOn> = (text, flag) => {
  const codes = new Set<number>();
  let timeout = false;
  for (const item of text.split(',').map((s) => s.trim())) {
    if (item === 'timeout') timeout = true;
    else if (/^\d+$/.test(item) && Number(item) >= 1 && Number(item) <= 255) codes.add(Number(item));
    else throw badOption(flag, text, `${JSON.stringify(item)} is neither an exit code (1-255) nor "timeout"${didYouMean(item, ['timeout'])}`);
  }
  return { codes, timeout };
};

/** A regular expression; an empty or invalid one is refused. */
export const regex: OptionParser<RegExp> = (text, flag) => {
  if (text === '') throw badOption(flag, text, 'expected a regular expression');
  try {
    return new RegExp(text);
  } catch (error) {
    throw badOption(flag, text, `not a valid regular expression (${describeError(error)})`);
  }
};

/** An absolute http(s) URL. */
export const httpUrl: OptionParser<string> = (text, flag) => {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw badOption(flag, text, 'expected an absolute http:// or https:// URL');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badOption(flag, text, 'expected an http:// or https:// URL');
  return text;
};

/**
 * `inner`, or the same read from a file given as `@/path` (a secret kept off the command line, SPEC §9).
 * A file that does not hold a good value is refused without quoting what it holds.
 */
export const orSecretFile = <T>(inner: OptionParser<T>, what: string): OptionParser<T> => (text, flag) => {
  if (!text.startsWith('@')) return inner(text, flag);
  const secret = readSecretFile(text.slice(1), flag, text);
  try {
    return inner(secret, flag);
  } catch {
    throw badOption(flag, text, `the file does not hold ${what}`);
  }
};

/** Free text that must not be blank (a shell command). */
export const nonBlank = (what: string): OptionParser<string> => (text, flag) => {
  if (text.trim() === '') throw badOption(flag, text, `expected ${what}`);
  return text;
};

/** A duration ago or an ISO-8601 date, as a stored instant (UTC ISO-8601), relative to now. */
export const when: OptionParser<string> = (text, flag) => parseWhen(flag, text, systemClock.now());

/** An ISO-8601 time, local unless it carries an offset. */
export const instant: OptionParser<Date> = (text, flag) => parseInstant(flag, text);

/** A duration ago, as the stored instant that long before now (prune --older-than). */
export const ago: OptionParser<string> = (text, flag) => {
  if (durationMs(text) === undefined) throw badOption(flag, text, DURATION_HINT);
  return parseWhen(flag, text, systemClock.now());
};
