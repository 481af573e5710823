// The store contract kit against PostgreSQL: each case gets a fresh database in a throwaway cluster
// started for this file (test/helpers/postgres.ts), stopped and removed at its end.
import { test } from 'node:test';
import { type PgCluster, postgresMissing, startCluster } from '../helpers/postgres.ts';
import { storeContract } from './kit.ts';

const missing = postgresMissing();
if (missing) {
  test('postgres store contract', { skip: missing }, () => {});
} else {
  const pg: PgCluster = await startCluster();
  storeContract('postgres', { fresh: () => pg.createDatabase() });
}
