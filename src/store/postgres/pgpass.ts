import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Where the password file is, as libpq looks for it: PGPASSFILE, else ~/.pgpass. */
export function pgpassPath(env: NodeJS.ProcessEnv, home: string): string {
  return env['PGPASSFILE'] || join(home, '.pgpass');
}

/** The fields of one .pgpass line, `\:` and `\\` unescaped; null for a comment or a short line. */
function pgpassFields(line: string): string[] | null {
  if (line.startsWith('#') || line.trim() === '') return null;
  const fields: string[] = [];
  let field = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) field += line[++i];
    else if (c === ':' && fields.length < 4) { fields.push(field); field = ''; }
    else field += c;
  }
  fields.push(field);
  return fields.length === 5 ? fields : null;
}

/**
 * The password for a connection from a .pgpass file, by libpq's rules: the first line whose host, port,
 * database and user match (`*` matches anything); a file that others can read is ignored, as libpq does.
 */
export function pgpassPassword(file: string, want: { host: string; port: string; database: string; user: string }): string | null {
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile() || (st.mode & 0o077) !== 0) return null;
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  // A Unix socket directory counts as "localhost" in .pgpass, as with libpq.
  const host = want.host.startsWith('/') ? 'localhost' : want.host;
  for (const line of text.split('\n')) {
    const f = pgpassFields(line.replace(/\r$/, ''));
    if (!f) continue;
    const [h, p, d, u, password] = f as [string, string, string, string, string];
    const match = (pattern: string, value: string) => pattern === '*' || pattern === value;
    if (match(h, host) && match(p, want.port) && match(d, want.database) && match(u, want.user)) return password;
  }
  return null;
}
