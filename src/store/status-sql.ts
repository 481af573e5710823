import { SEVERITY } from '../shared/outcome.ts';
import { FAILURE_STATUSES, RUN_STATUSES, isFinished } from '../shared/types.ts';

// The run-status predicates of src/shared/types.ts in SQL, one text for every backend (the same in SQLite and PostgreSQL).

const list = (statuses: readonly string[]) => statuses.map((s) => `'${s}'`).join(', ');

/** The SQL form of isFailure: the list for `status IN (...)`. */
export const FAILURE_SQL = list(FAILURE_STATUSES);

/** The SQL form of isFinished of a status column (a trigger's `NEW.status`): a run that ended, neither running nor skipped. */
export const finishedSql = (column: string): string => `${column} IN (${list(RUN_STATUSES.filter(isFinished))})`;

/** The SQL form of isFinished of a row's own status. */
export const FINISHED_SQL = finishedSql('status');

/** A status's rank in SEVERITY, in SQL (a status cronguard does not write ranks as the worst): max() of it is a group's worst outcome. */
export const SEVERITY_SQL = `CASE status ${SEVERITY.map((s, i) => `WHEN '${s}' THEN ${i}`).join(' ')} ELSE ${SEVERITY.length - 1} END`;
