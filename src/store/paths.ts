import { join } from 'node:path';

/** Where the database lives when neither --db nor CRONGUARD_DB says (SPEC §5). */
export function defaultDbPath(env: NodeJS.ProcessEnv, uid: number, home: string): string {
  if (uid === 0) return '/var/lib/cronguard/cronguard.db';
  const state = env['XDG_STATE_HOME'] && env['XDG_STATE_HOME'].startsWith('/')
    ? env['XDG_STATE_HOME']
    : join(home, '.local', 'state');
  return join(state, 'cronguard', 'cronguard.db');
}
