/**
 * The store contract kit: what every Store backend must do, as behaviour seen through openStore and the
 * Store port, never through a backend's own schema. `storeContract(name, backend)` registers the whole
 * suite for one backend; each backend has one small `*.test.ts` beside this file that calls it.
 *
 * Adding a backend (issue 15, PostgreSQL):
 *   1. Register it in src/store/backend.ts and give src/store/target.ts its URL scheme.
 *   2. Add test/contract/postgres.test.ts:
 *        storeContract('postgres', { fresh: async () => `postgres://...${await createDatabase()}`, cleanup })
 *      where `fresh()` returns a --db value naming a new, empty history of that backend (for PostgreSQL: a
 *      new database in the throwaway cluster the test started), and `cleanup` (optional) runs at the end.
 *   3. Run `node --test dist/test/contract/`: every case below must pass unchanged. A case that cannot hold
 *      for a backend is a change to the contract (src/store/store.ts), made here for all backends at once.
 */
import '../helpers/cjs-require.ts';
import { after } from 'node:test';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { targetOf, type StoreTarget } from '../../src/store/target.ts';
import { runContract } from './runs.ts';
import { readContract } from './reads.ts';
import { sweepContract } from './sweep.ts';
import { alertContract } from './alerts.ts';
import { reportContract } from './report.ts';
import { forgetContract } from './forget.ts';

/** One backend under test. */
export interface ContractBackend {
  /** A --db value naming a fresh, empty history (nothing created yet, or created empty). */
  fresh(): Promise<string>;
  /** Called once when the test file ends. */
  cleanup?(): Promise<void>;
}

/** What each part of the kit gets: ways to open the backend's fresh targets. */
export interface Kit {
  name: string;
  /** A fresh target as the store layer parses it. */
  target(): Promise<StoreTarget>;
  /** A fresh store opened read-write; closed when the test file ends. */
  writable(target?: StoreTarget): Promise<Store>;
  /** The same target opened read-only (null when nothing is recorded yet). */
  readable(target: StoreTarget): Promise<Store | null>;
}

/** Registers every contract case for one backend. */
export function storeContract(name: string, backend: ContractBackend): void {
  const open: Store[] = [];
  after(async () => {
    for (const store of open) store.close();
    await backend.cleanup?.();
  });
  const kit: Kit = {
    name,
    async target() {
      const text = await backend.fresh();
      const target = targetOf(text);
      if (target === null) throw new Error(`${name}: no backend serves ${text}`);
      return target;
    },
    async writable(target) {
      const store = await openStore(target ?? (await kit.target()), 'write', (m) => { throw new Error(`unexpected warning: ${m}`); });
      open.push(store);
      return store;
    },
    async readable(target) {
      const store = await openStore(target, 'read');
      if (store) open.push(store);
      return store;
    },
  };
  runContract(kit);
  readContract(kit);
  sweepContract(kit);
  alertContract(kit);
  reportContract(kit);
  forgetContract(kit);
}
