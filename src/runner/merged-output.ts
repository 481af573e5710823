import { mkdtempSync, rmdirSync, unlinkSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Two ends of one stream socket: the command writes both its stdout and its stderr to `writer`. */
export interface MergedOutput {
  writer: Socket;
  reader: Socket;
}

/**
 * One channel for stdout and stderr, so the captured order is exactly the order of the writes, as with
 * `2>&1`. Node cannot make a pipe(2) pair, so a Unix stream socket does it (Node's own 'pipe' stdio is a
 * socketpair too, so the command sees what it saw before): it is bound in a fresh 0700 directory that only
 * this user can reach, connected once, and unlinked at once. Null when that fails (no writable temporary
 * directory, say): the caller then reads two pipes, as the job comes first.
 */
export async function mergedOutput(): Promise<MergedOutput | null> {
  let dir: string;
  try {
    dir = mkdtempSync(join(tmpdir(), 'cronguard-'));
  } catch {
    return null;
  }
  const server = createServer({ pauseOnConnect: true });
  const path = join(dir, 'out');
  const removeName = () => {
    for (const remove of [() => unlinkSync(path), () => rmdirSync(dir)]) {
      try {
        remove();
      } catch {
        // never bound, or already gone
      }
    }
  };
  try {
    const failed = new Promise<never>((_, reject) => server.once('error', reject));
    failed.catch(() => {});
    // listen() binds and connect() connects synchronously (the events come later), so the name is
    // removed within the same tick: nobody else can connect, and a wrapper killed now leaves nothing.
    server.listen(path);
    const accepted = new Promise<Socket>((resolve) => server.once('connection', resolve));
    const writer = connect(path);
    removeName();
    await Promise.race([failed, new Promise<void>((resolve, reject) => {
      writer.once('connect', resolve);
      writer.once('error', reject);
    })]);
    const reader = await Promise.race([failed, accepted]);
    writer.on('error', () => {});
    reader.on('error', () => {});
    return { writer, reader };
  } catch {
    return null;
  } finally {
    removeName();
    server.close();
  }
}
