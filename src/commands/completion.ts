import type { CommandMain } from '../cli/context.ts';
import { CronguardError } from '../shared/errors.ts';

/** `cronguard completion`: not built yet (see the open issues). */
export const completionMain: CommandMain = async () => {
  throw new CronguardError('"completion" is not available in this version yet');
};
