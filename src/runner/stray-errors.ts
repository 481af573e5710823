import { describeError } from '../shared/errors.ts';

/**
 * While a job runs, an error thrown from a timer or a promise nobody awaits (a library's socket callback,
 * say) would end this process with Node's exit code 1: the job's own code lost, the job left unsupervised.
 * This turns such an error into one warning and lets the run go on: its supervision is our own timers, and
 * the store already falls back to the spool when a call of its fails. Returns the function that stops it.
 */
export function surviveStrayErrors(warn: (message: string) => void): () => void {
  let warned = false;
  const onError = (error: unknown) => {
    if (warned) return;
    warned = true;
    warn(`internal error while the job ran: ${describeError(error)}; the job goes on and keeps its exit code`);
  };
  process.on('uncaughtException', onError);
  process.on('unhandledRejection', onError);
  return () => {
    process.off('uncaughtException', onError);
    process.off('unhandledRejection', onError);
  };
}
