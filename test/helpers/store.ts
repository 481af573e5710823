import './cjs-require.ts';
import { openStore } from '../../src/store/open.ts';
import type { RunFilter, Store } from '../../src/store/store.ts';
import { targetOf } from '../../src/store/target.ts';
import type { RunRecord } from '../../src/shared/types.ts';

/**
 * Reads a cronguard history through the Store port, as any cronguard reader would: for what the CLI's
 * --json does not show (a run's pid, group, reason). Tests use this instead of SQL, so they hold for any
 * backend; null before anything is recorded.
 */
export async function readStore<T>(target: string, read: (store: Store) => Promise<T>): Promise<T | null> {
  const parsed = targetOf(target);
  if (parsed === null) throw new Error(`not a target: ${target}`);
  const store = await openStore(parsed, 'read');
  if (store === null) return null;
  try {
    return await read(store);
  } finally {
    store.close();
  }
}

/** Runs newest first, with every field the store keeps (attempts without output); [] before any. */
export async function recordedRuns(target: string, filter: RunFilter = {}): Promise<RunRecord[]> {
  try {
    return (await readStore(target, (s) => s.reads.list(filter))) ?? [];
  } catch (error) {
    // The file exists before its first cronguard has created the tables: nothing recorded yet.
    if (/no such table/.test(String(error))) return [];
    throw error;
  }
}
