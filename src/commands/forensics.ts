import type { ParsedArgs } from '../shared/argv.ts';
import { didYouMean } from '../shared/did-you-mean.ts';
import { CronguardError, describeError, EXIT } from '../shared/errors.ts';
import type { Store } from '../store/store.ts';

/** Refuses two options that exclude each other. */
export function exclusive(args: ParsedArgs, a: string, b: string): void {
  if (args.options[a] && args.options[b]) throw new CronguardError(`--${a} and --${b} exclude each other`);
}

/** Refuses a JOB argument naming no job the database knows, suggesting names that look alike. */
export async function requireKnownJob(store: Store, job: string): Promise<void> {
  const names = await store.reads.jobNames();
  if (names.includes(job)) return;
  const hint = didYouMean(job, names) || ` (it knows ${names.length} job${names.length === 1 ? '' : 's'}; cronguard status lists them)`;
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
