import type { Store } from './store.ts';
import type { StoreTarget } from './target.ts';

/** The target of one kind. */
export type TargetOf<K extends StoreTarget['kind']> = Extract<StoreTarget, { kind: K }>;

/**
 * What openStore needs of one kind of storage. A backend opens, nothing more: openStore owns what every
 * kind shares (error messages, read-only vs read-write, missing means empty, the spool).
 */
export interface Backend<K extends StoreTarget['kind']> {
  /** Whether the target holds a history yet; a reader of one that does not answers "nothing recorded". */
  exists(target: TargetOf<K>): Promise<boolean>;
  /** Opens the store (creating and migrating it when writable); throws when it cannot. `quick`: see Store.quickLocks. */
  open(target: TargetOf<K>, writable: boolean, quick?: boolean): Promise<Store>;
  /** Whether an error of `open` is only another writer's lock (worth trying again), not a broken store. */
  isBusy?(error: unknown): boolean;
  /** The local file where records wait while the store cannot take them (always on this host). */
  spoolPath(target: TargetOf<K>): string;
  /**
   * Called right after a recording open: returns a check of whether the target is still the one opened,
   * saying what became of it when not (a file deleted or replaced mid-run), so a record is never written
   * where nobody will find it.
   */
  watch?(target: TargetOf<K>): () => string | null;
}

/**
 * Every backend, by target kind, loaded only when a target of that kind is opened. Issue 15 adds
 * `postgres: async () => (await import('./postgres/backend.ts')).postgresBackend`.
 */
const BACKENDS: { [K in StoreTarget['kind']]: () => Promise<Backend<K>> } = {
  sqlite: async () => (await import('./sqlite/backend.ts')).sqliteBackend,
};

/** The backend serving a target. */
export async function backendFor<K extends StoreTarget['kind']>(target: TargetOf<K>): Promise<Backend<K>> {
  return (BACKENDS[target.kind] as () => Promise<Backend<K>>)();
}
