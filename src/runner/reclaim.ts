import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** How much output passes between two young-generation collections once a job floods. */
const RECLAIM_EVERY_BYTES = 8 * 1024 * 1024;

type Collect = (options: { type: 'minor' }) => void;
let collect: Collect | null | undefined;

/** V8's gc() with a minor collection, exposed on first use; null where the runtime refuses. */
function minorGc(): Collect | null {
  if (collect !== undefined) return collect;
  try {
    setFlagsFromString('--expose-gc');
    collect = runInNewContext('gc') as Collect;
  } catch {
    collect = null;
  }
  return collect;
}

/**
 * Returns a counter to call with each chunk's size. Node allocates a fresh buffer for every pipe read and
 * frees them only when V8 next collects, so a job printing at full speed would grow the wrapper by ~40 MiB
 * of dead buffers; a cheap minor collection every few MiB keeps memory near its resting size.
 */
export function outputReclaimer(): (bytes: number) => void {
  let since = 0;
  return (bytes) => {
    since += bytes;
    if (since < RECLAIM_EVERY_BYTES) return;
    since = 0;
    minorGc()?.({ type: 'minor' });
  };
}
