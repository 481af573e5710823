import { retryWhileBusy } from './busy.ts';
import { CronguardError, describeError, EXIT } from '../shared/errors.ts';
import { backendFor } from './backend.ts';
import { appendToSpool, ingestSpool, type SpoolEntry } from './spool.ts';
import type { Store } from './store.ts';
import { describeTarget, type StoreTarget } from './target.ts';

/**
 * How a command means to use the store:
 * - `read`: read-only, so reading never holds a lock a job's write waits for; null when nothing is recorded yet.
 * - `update`: read-write, but null when nothing is recorded yet (prune: nothing to delete, nothing created).
 * - `write`: read-write, created when missing; spooled records are taken in first (sweep).
 * - `record`: as `write`, but never throws: a run records through it whatever the store's trouble (the job comes first).
 */
export type OpenMode = 'read' | 'update' | 'write' | 'record';

/** A store opened to record a run: the store when it works, and the spool it falls back to. */
export interface RecordingStore {
  /** The store, or null when it could not be opened. */
  store: Store | null;
  /** Why it could not be opened; null when it was. */
  failure: string | null;
  /** The target as messages name it. */
  describe(): string;
  /** Keeps a complete run until a cronguard that can write the store takes it in; throws when even that fails. */
  spool(entry: SpoolEntry): void;
  /** Null while the store is still the one opened; else what became of it (deleted, replaced). */
  moved(): string | null;
}

type Warn = (message: string) => void;

/**
 * The one place a target is opened: picks the backend by the target's kind and turns any failure into one
 * clear line (exit 125). A check of the target's safety before opening it belongs here, once, for every command.
 */
export async function openStore(target: StoreTarget, mode: 'read' | 'update'): Promise<Store | null>;
export async function openStore(target: StoreTarget, mode: 'write', warn: Warn): Promise<Store>;
export async function openStore(target: StoreTarget, mode: 'record', warn: Warn, giveUp?: () => boolean): Promise<RecordingStore>;
export async function openStore(target: StoreTarget, mode: OpenMode, warn?: Warn, giveUp: () => boolean = () => false): Promise<Store | RecordingStore | null> {
  const backend = await backendFor(target);
  const spoolPath = backend.spoolPath(target);
  const takeInSpool = async (store: Store) => {
    try {
      await ingestSpool(spoolPath, store, warn);
    } catch (error) {
      // A lock is ordinary: the spool waits for the next cronguard, and a write that stays locked says so itself.
      if (backend.isBusy?.(error) === true) return;
      warn?.(`could not take in the spool beside ${describeTarget(target)}: ${describeError(error)}`);
    }
  };
  if (mode === 'record') {
    const spool = (entry: SpoolEntry) => appendToSpool(spoolPath, entry);
    const describe = () => describeTarget(target);
    let store: Store;
    let moved: () => string | null;
    // Quick locks from the start: opening and taking in the spool must not hold up the job either. Many
    // runs opening a new file at once take turns creating it: a busy open is tried again after timers.
    try {
      store = await retryWhileBusy(() => backend.open(target, true, true), (error) => backend.isBusy?.(error) ?? false, giveUp);
      moved = backend.watch?.(target) ?? (() => null);
    } catch (error) {
      return { store: null, failure: describeError(error), describe, spool, moved: () => null };
    }
    await takeInSpool(store);
    return { store, failure: null, describe, spool, moved };
  }
  if (mode !== 'write' && !(await backend.exists(target))) return null;
  const store = await opened(target, mode === 'read' ? 'read' : 'open', () => backend.open(target, mode !== 'read'));
  if (mode === 'write') await takeInSpool(store);
  return store;
}

/** Opens, turning a failure (not a database, unreadable, locked) into one clear line. */
async function opened(target: StoreTarget, verb: string, open: () => Promise<Store>): Promise<Store> {
  try {
    return await open();
  } catch (error) {
    if (error instanceof CronguardError) throw error;
    throw new CronguardError(`cannot ${verb} the database ${describeTarget(target)}: ${describeError(error)}`, EXIT.internal, { cause: error });
  }
}
