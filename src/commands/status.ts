import type { CommandMain } from '../cli/context.ts';
import { CronguardError } from '../shared/errors.ts';

/** `cronguard status`: not built yet (see the open issues). */
export const statusMain: CommandMain = async () => {
  throw new CronguardError('"status" is not available in this version yet');
};
