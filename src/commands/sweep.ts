import type { CommandMain } from '../cli/context.ts';
import { CronguardError } from '../shared/errors.ts';

/** `cronguard sweep`: not built yet (see the open issues). */
export const sweepMain: CommandMain = async () => {
  throw new CronguardError('"sweep" is not available in this version yet');
};
