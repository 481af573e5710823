import { type CrontabContext, type CrontabReading, parseCrontab } from '../../src/schedule/crontab.ts';

/** Users the reader's unit tests take as existing. */
const USERS = new Set(['root', 'www-data', 'nobody', 'sysstat', 'daemon']);

/**
 * A crontab reader for unit tests, independent of the host: cronie unless told, the users above, and
 * cronguard executable in /usr/bin, /usr/local/bin, /opt/cg/bin and ~/.local/bin (HOME /home/u) only.
 */
export function reader(over: Partial<CrontabContext> = {}): (text: string, label?: string) => CrontabReading {
  const ctx: CrontabContext = {
    flavour: 'cronie', system: false, root: false, home: '/home/u',
    userExists: (name) => USERS.has(name),
    executable: (path) => ['/usr/bin/cronguard', '/usr/local/bin/cronguard', '/opt/cg/bin/cronguard', '/home/u/.local/bin/cronguard'].includes(path),
    ...over,
  };
  return (text, label = 'c') => parseCrontab(text, label, ctx);
}
