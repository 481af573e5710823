/** How many leading characters of a run id people quote (history's id column, sweep's messages). */
export const SHORT_ID_LENGTH = 8;

/** The first characters of a run id, as people quote it: with `cronguard show` they name the run. */
export function shortId(id: string): string {
  return id.slice(0, SHORT_ID_LENGTH);
}
