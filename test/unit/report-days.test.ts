// The HTML report's days from the SQLite day summaries (src/store/sqlite/report-days.ts) against the direct
// query they stand in for, as run-days.test.ts does for stats: random histories with malformed rows and
// every status, random writes, settled at random points; periods that are UTC days and periods that are not.
import '../helpers/cjs-require.ts';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { prng } from '../../bench/prng.ts';
import { reportHtml } from '../../src/commands/report.ts';
import { openDatabase, type SqliteDatabase } from '../../src/store/sqlite/database.ts';
import { openSqliteStore } from '../../src/store/sqlite/index.ts';
import { directFigures, periodFigures, periodsFromDays } from '../../src/store/sqlite/report-days.ts';
import { settleRunDays } from '../../src/store/sqlite/run-days.ts';
import type { Periods } from '../../src/store/store.ts';
import { tempDir } from '../helpers/cli.ts';
import { insertRun, JOBS, randomHistory } from '../helpers/random-runs.ts';

const dir = tempDir();

/** Consecutive periods of `hours` each from `from` (UTC days when 24 from a midnight). */
function periods(from: string, count: number, hours = 24): Periods {
  const start = Date.parse(from);
  return Array.from({ length: count }, (_, i) => ({
    from: new Date(start + i * hours * 3_600_000).toISOString(), to: new Date(start + (i + 1) * hours * 3_600_000).toISOString(),
  }));
}

/** UTC days over the runs' days; days an hour off (a zone away from UTC); a 25-hour day; days with a gap; one period of four days. */
const PERIOD_LISTS: Periods[] = [
  periods('2026-11-26T00:00:00.000Z', 8), periods('2026-11-27T01:00:00.000Z', 5), periods('2026-11-27T23:00:00.000Z', 5),
  [{ from: '2026-11-29T00:00:00.000Z', to: '2026-11-30T01:00:00.000Z' }, { from: '2026-11-30T01:00:00.000Z', to: '2026-12-01T00:00:00.000Z' }],
  [periods('2026-11-28T00:00:00.000Z', 1)[0]!, periods('2026-11-30T00:00:00.000Z', 1)[0]!], periods('2026-11-28T00:00:00.000Z', 1, 96),
];

/** Every period list answers the same from the summaries as straight from runs, for every job and each one. */
function assertSame(db: SqliteDatabase, when: string): void {
  const jobs = db.prepare('SELECT DISTINCT job FROM runs ORDER BY job').pluck().all() as string[];
  for (const list of PERIOD_LISTS) {
    for (const named of [jobs, ...JOBS.map((j) => [j])]) {
      assert.deepEqual(periodFigures(db, list, named, undefined, false), periodFigures(db, list, named, undefined, true),
        `${when}: ${JSON.stringify(list[0])} and on, ${named.length} jobs`);
    }
  }
}

/** The page as the report writes it, from the summaries and run_latest and straight from runs, for the days around the runs (the system's zone). */
async function assertSamePage(path: string, when: string): Promise<void> {
  const store = openSqliteStore(path, true);
  const db = openDatabase(path, true);
  try {
    const jobs = db.prepare('SELECT DISTINCT job FROM runs ORDER BY job').pluck().all() as string[];
    // The days and each job's latest host straight from runs (the latter as the report read them before run_latest).
    const latest = db.prepare('SELECT host FROM runs WHERE job = ? ORDER BY started_at DESC LIMIT 1').pluck();
    const direct = { ...store, report: { ...store.report,
      periods: async (list: Periods, job?: string) => periodFigures(db, list, job === undefined ? jobs : [job], undefined, true),
      latestHosts: async () => jobs.map((job) => ({ job, host: latest.get(job) as string })),
    } };
    const [since, now] = [new Date('2026-11-27T00:00:00.000Z'), new Date('2026-12-01T12:00:00.000Z')];
    assert.equal(await reportHtml(store, since, now), await reportHtml(direct, since, now), `${when}: the page`);
  } finally {
    db.close();
    store.close();
  }
}

for (const seed of [11, 12, 13, 14, 15, 16]) {
  test(`the report's days from the day summaries equal those from runs, whatever was written (seed ${seed})`, async () => {
    const path = join(dir, `seed-${seed}.db`);
    const db = await randomHistory(path, seed, 80, async (file, when) => {
      assertSame(file, when);
      if (!when.startsWith('step') || when.startsWith('step 3')) await assertSamePage(path, when);
    });
    db.close();
  });
}

test('a settled history of plain UTC days is read from its summaries, running runs added: no period goes to the runs', () => {
  const db = openDatabase(join(dir, 'plain.db'), false);
  try {
    const r = prng(17);
    for (let i = 0; i < 60; i++) insertRun(db, r, 'INSERT');
    db.exec(`UPDATE runs SET started_at = '2026-11-' || (28 + abs(random() % 3)) || 'T12:00:0' || abs(random() % 10) || '.000Z'`);
    settleRunDays(db);
    const list = periods('2026-11-27T00:00:00.000Z', 5);
    const jobs = db.prepare('SELECT DISTINCT job FROM runs ORDER BY job').pluck().all() as string[];
    const fromRuns = directFigures(db, undefined);
    let asked = 0;
    const days = periodsFromDays(db, list, jobs, (job, some) => {
      asked += some.length;
      return fromRuns(job, some);
    });
    assert.equal(asked, 0, 'every period read from the summaries');
    assert.ok(db.prepare("SELECT count(*) FROM runs WHERE status IN ('running', 'skipped', 'weird')").pluck().get() as number > 3);
    assert.deepEqual(days, periodFigures(db, list, jobs, undefined, true));
    assert.ok(days.length >= 10);
  } finally {
    db.close();
  }
});
