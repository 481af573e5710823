import yargs from 'yargs';
import { COMMANDS, type CommandName, commandSpec } from '../shared/options.ts';

/**
 * --help text, laid out by yargs from the option table. Only --help and completion load yargs: it costs
 * more start-up time than a cron tick should pay.
 */
export async function helpText(command: CommandName, width: number): Promise<string> {
  const spec = commandSpec(command);
  let y = yargs([]).scriptName('cronguard').usage(`Usage: ${spec.usage}\n\n${spec.summary}`).version(false).help(false).wrap(Math.min(width, 100));
  for (const o of spec.options) {
    // The placeholder leads the description (yargs has no metavar); no type tag, which says less.
    const notes = [...(o.kind === 'list' ? ['repeatable'] : []), ...(o.env ? [`also ${o.env}`] : [])];
    const describe = `${o.value ? `${o.value}  ` : ''}${o.describe}${notes.length ? ` (${notes.join('; ')})` : ''}`;
    const shownDefault = o.default ?? o.defaultText;
    y = y.option(o.name, { describe, ...(shownDefault !== undefined ? { defaultDescription: shownDefault } : {}) });
  }
  if (command === 'run') {
    for (const c of COMMANDS) if (c.name !== 'run') y = y.command(c.name, c.summary);
    y = y.epilog([
      'Durations: 90, 90s, 15m, 2h, 1d, 1h30m, 500ms. Sizes: 1000, 64KiB, 1MiB, 1MB.',
      'Exit: the command\'s code; 124 timeout; 125 usage error; 126 cannot execute; 127 not found; 128+N signal N.',
      'See man cronguard.',
    ].join('\n'));
  } else {
    y = y.epilog('See man cronguard.');
  }
  return `${await y.getHelp()}\n`;
}
