import type { ParsedArgs } from '../shared/argv.ts';
import { CronguardError, describeError, EXIT } from '../shared/errors.ts';
import { RUN_STATUSES, type RunStatus } from '../shared/types.ts';
import { badOption } from '../shared/errors.ts';
import { parseWhen } from '../shared/when.ts';
import type { Store } from '../store/store.ts';

/** A string option's value, undefined when absent. */
export function stringOption(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

/** --since or --until as a stored instant, undefined when absent. */
export function whenOption(args: ParsedArgs, name: 'since' | 'until', now: Date): string | undefined {
  const text = stringOption(args, name);
  return text === undefined ? undefined : parseWhen(`--${name}`, text, now);
}

/** --status: a comma-separated list of run statuses, each checked. */
export function statusesOption(args: ParsedArgs): RunStatus[] | undefined {
  const text = stringOption(args, 'status');
  if (text === undefined) return undefined;
  const statuses = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  const wrong = statuses.find((s) => !(RUN_STATUSES as readonly string[]).includes(s));
  if (statuses.length === 0 || wrong !== undefined) {
    throw badOption('--status', text, `${wrong === undefined ? 'no status given' : `"${wrong}" is not a status`}; expected some of ${RUN_STATUSES.join(', ')}`);
  }
  return statuses as RunStatus[];
}

/** Refuses two options that exclude each other. */
export function exclusive(args: ParsedArgs, a: string, b: string): void {
  if (args.options[a] && args.options[b]) throw new CronguardError(`--${a} and --${b} exclude each other`);
}

/** Refuses a JOB argument naming no job the database knows, suggesting names that look alike. */
export async function requireKnownJob(store: Store, job: string): Promise<void> {
  const names = await store.reads.jobNames();
  if (names.includes(job)) return;
  const lower = job.toLowerCase();
  const alike = names.filter((n) => n.toLowerCase().includes(lower) || lower.includes(n.toLowerCase())).slice(0, 3);
  const hint = alike.length ? `; did you mean ${alike.join(', ')}?` : ` (it knows ${names.length} job${names.length === 1 ? '' : 's'}; cronguard stats lists them)`;
  throw new CronguardError(`no job named ${JSON.stringify(job)} in ${store.describe()}${hint}`);
}

/** Runs `work` on the store, turning a database failure into one clear line; closes the store. */
export async function withStore<T>(store: Store, action: string, work: (store: Store) => Promise<T>): Promise<T> {
  try {
    return await work(store);
  } catch (error) {
    if (error instanceof CronguardError) throw error;
    throw new CronguardError(`cannot ${action} ${store.describe()}: ${describeError(error)}`, EXIT.internal, { cause: error });
  } finally {
    store.close();
  }
}
