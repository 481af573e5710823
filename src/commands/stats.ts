import type { CommandMain } from '../cli/context.ts';
import { CronguardError } from '../shared/errors.ts';

/** `cronguard stats`: not built yet (see the open issues). */
export const statsMain: CommandMain = async () => {
  throw new CronguardError('"stats" is not available in this version yet');
};
