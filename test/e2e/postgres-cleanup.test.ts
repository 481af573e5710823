// The throwaway cluster must not outlive a test file that is killed: its server is a daemon (pg_ctl), so a
// SIGTERM from the runner's timeout, or ^C, would leave it running on a shared machine.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { isAlive } from '../helpers/procs.ts';
import { postgresMissing, startCluster } from '../helpers/postgres.ts';

const CHILD = 'CRONGUARD_TEST_PG_CHILD';

if (process.env[CHILD] === '1') {
  // This file again, as the process to kill: a cluster, its postmaster's pid on stdout, then waiting.
  const pg = await startCluster(() => {});
  const pid = Number(readFileSync(join(pg.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  process.stdout.write(`${pid} ${pg.dir}\n`);
  setInterval(() => {}, 60_000);
} else {
  const missing = postgresMissing();
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`a test process killed by ${signal} stops its PostgreSQL server and removes its files`, { skip: missing ?? false, timeout: 300_000 }, async () => {
      const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], { env: { ...process.env, [CHILD]: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      const line = await new Promise<string>((resolve, reject) => {
        let text = '';
        child.stdout.on('data', (chunk: Buffer) => {
          text += chunk.toString();
          if (text.includes('\n')) resolve(text.split('\n')[0] as string);
        });
        child.once('exit', (code) => reject(new Error(`the child exited (${code}) before its cluster was up: ${text}`)));
      });
      const [pidText, dir] = line.split(' ') as [string, string];
      const pid = Number(pidText);
      try {
        assert.ok(pid > 0 && isAlive(pid), `the server runs (${line})`);
        child.kill(signal);
        assert.equal(await exited, 128 + (signal === 'SIGTERM' ? 15 : 2));
        assert.equal(isAlive(pid), false, `postmaster ${pid} still runs`);
        assert.equal(existsSync(dir), false, `${dir} is still there`);
      } finally {
        // A failure here must not leave what it found: SIGQUIT is the server's immediate shutdown.
        if (pid > 0 && isAlive(pid)) process.kill(pid, 'SIGQUIT');
        child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
}
