import { basename } from 'node:path';
import type { CommandMain } from './context.ts';
import { bashScript } from '../completion/bash.ts';
import { zshScript } from '../completion/zsh.ts';
import { SHELLS, type Shell } from '../completion/values.ts';
import { badOption, EXIT } from '../shared/errors.ts';

/** `cronguard completion [bash|zsh]`: prints the script; without a shell name, the one of $SHELL (else bash). */
export const completionMain: CommandMain = async (args, ctx) => {
  const given = args.positionals[0];
  const shell = given ?? (basename(ctx.env['SHELL'] ?? '') === 'zsh' ? 'zsh' : 'bash');
  if (!SHELLS.includes(shell as Shell)) throw badOption('completion', shell, `expected ${SHELLS.join(' or ')}`);
  ctx.stdout(shell === 'zsh' ? zshScript() : bashScript());
  return EXIT.ok;
};
