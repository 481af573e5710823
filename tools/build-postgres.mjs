// Bundles the PostgreSQL backend (dist/cronguard-postgres.cjs), with one fix to postgres.js applied on the way.
//
// postgres.js 3.4.9 can write to a connection whose socket is already gone (a write queued with setImmediate
// after the server closed it): `socket.write` on null throws from a timer, where no caller can catch it, and
// the whole process dies. For cronguard that is a job's exit code changed by our own trouble (SPEC: the job
// comes first). Upstream: porsager/postgres issues 1066, 1154, 1208; the guard below is the one proposed in
// pull request 1209: settle the write with a catchable CONNECTION_CLOSED instead of throwing. The build fails
// when the code to fix is not found, so an upgrade of postgres.js makes someone look again.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';

const UNGUARDED = '  function nextWrite(fn) {\n    const x = socket.write(chunk, fn)';
const GUARDED = `  function nextWrite(fn) {
    if (socket === null) {
      nextWriteTimer !== null && clearImmediate(nextWriteTimer)
      chunk = nextWriteTimer = null
      error(Errors.connection('CONNECTION_CLOSED', options))
      return false
    }
    const x = socket.write(chunk, fn)`;

/** The esbuild plugin that applies the guard to postgres.js's connection module. */
const guardNextWrite = {
  name: 'postgres-nextwrite-guard',
  setup(b) {
    b.onLoad({ filter: /[\\/]postgres[\\/](cjs[\\/])?src[\\/]connection\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      if (!source.includes(UNGUARDED)) throw new Error(`${path}: nextWrite is not as in postgres.js 3.4.9; review tools/build-postgres.mjs`);
      return { contents: source.replace(UNGUARDED, GUARDED), loader: 'js' };
    });
  },
};

await build({
  entryPoints: ['src/store/postgres/backend.ts'], bundle: true, format: 'cjs', platform: 'node', target: 'node20.19',
  outfile: 'dist/cronguard-postgres.cjs', minify: true, keepNames: true, legalComments: 'none', logLevel: 'warning',
  plugins: [guardNextWrite],
});
