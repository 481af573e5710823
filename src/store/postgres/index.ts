import type { Store } from '../store.ts';
import { pgAlertStore } from './alerts.ts';
import { clientOf } from './client.ts';
import { pgMetricsReader } from './metrics.ts';
import { pgRunPruner } from './prune.ts';
import { pgRunReader } from './reads.ts';
import { pgReportReader } from './report.ts';
import { pgRunWriter } from './runs.ts';
import { migratePostgres } from './schema.ts';
import { pgSweepRepo } from './sweep.ts';
import type { PostgresSettings } from './url.ts';

/**
 * A Store in a PostgreSQL database shared by many hosts. Connecting (and the first query) is bounded by
 * the target's connect timeout; the schema is brought up to date before anything else.
 * This module and postgres.js are bundled apart (dist/cronguard-postgres.cjs): a SQLite run never loads them.
 */
export async function openPostgresStore(target: PostgresSettings, host: string, callLimitMs: number | null): Promise<Store> {
  const client = clientOf(target, callLimitMs);
  try {
    await client.call((sql) => migratePostgres(sql, target.display));
  } catch (error) {
    void client.end();
    throw error;
  }
  return {
    describe: () => target.display,
    // PostgreSQL vacuums and checkpoints by itself.
    maintain: async () => {},
    runs: pgRunWriter(client),
    reads: pgRunReader(client),
    prune: pgRunPruner(client),
    alerts: pgAlertStore(client),
    metrics: pgMetricsReader(client),
    report: pgReportReader(client),
    sweep: pgSweepRepo(client, host),
    close: () => void client.end().catch(() => {}),
  };
}

