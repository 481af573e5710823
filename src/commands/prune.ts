import type { CommandMain } from '../cli/context.ts';
import { CronguardError } from '../shared/errors.ts';

/** `cronguard prune`: not built yet (see the open issues). */
export const pruneMain: CommandMain = async () => {
  throw new CronguardError('"prune" is not available in this version yet');
};
