import { resolve } from 'node:path';
import { badOption } from '../shared/errors.ts';

/**
 * Where a cronguard history lives, as the user named it (--db, CRONGUARD_DB, the default of SPEC §5).
 * Each kind has one backend in src/store/open.ts. Issue 15 adds `{ kind: 'postgres'; url: string }`
 * here, a scheme in SCHEMES and its backend there.
 */
export type StoreTarget = { kind: 'sqlite'; path: string };

/** URL schemes that name a backend; any other `scheme://` is refused, never taken for a relative file path. */
const SCHEMES: Record<string, (text: string) => StoreTarget> = {};

const URL_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/** The target a --db value (or CRONGUARD_DB) names; null for a URL whose scheme no backend serves. */
export function targetOf(text: string): StoreTarget | null {
  const scheme = URL_SCHEME.exec(text)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'sqlite', path: resolve(text) };
  return SCHEMES[scheme]?.(text) ?? null;
}

/** Like targetOf, but a value naming nothing cronguard can open is the user's error (exit 125). */
export function parseTarget(option: string, text: string): StoreTarget {
  if (text === '') throw badOption(option, text, 'expected a file path');
  const target = targetOf(text);
  if (target === null) throw badOption(option, text, 'expected a file path; this cronguard has no database backend for that kind of URL');
  return target;
}

/** The target as messages name it (never with a password in it). */
export function describeTarget(target: StoreTarget): string {
  return target.path;
}

/** Whether two targets name the same history (sweep: does a crontab line record here?). */
export function sameTarget(a: StoreTarget, b: StoreTarget): boolean {
  return a.kind === b.kind && a.path === b.path;
}
