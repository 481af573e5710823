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
  const store = await openStore(parsed(target), 'read');
  if (store === null) return null;
  try {
    return await read(store);
  } finally {
    store.close();
  }
}

/** Changes a history through the Store port, as a cronguard that records would (creating it when missing). */
export async function writeStore<T>(target: string, write: (store: Store) => Promise<T>): Promise<T> {
  const store = await openStore(parsed(target), 'write', (message) => { throw new Error(`unexpected warning: ${message}`); });
  try {
    return await write(store);
  } finally {
    store.close();
  }
}

/** Copies a recorded run under another id, so that two ids share a prefix. */
export async function cloneRun(target: string, id: string, newId: string): Promise<void> {
  await writeStore(target, async (store) => {
    const [run] = await store.reads.findByPrefix(id, 1);
    if (!run) throw new Error(`no run ${id}`);
    await store.runs.ingest({ ...run, id: newId }, null);
  });
}

function parsed(target: string) {
  const t = targetOf(target);
  if (t === null) throw new Error(`not a target: ${target}`);
  return t;
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
