import yargs from 'yargs';
import { COMMANDS, type CommandName, commandSpec } from './options.ts';

/**
 * --help text, laid out by yargs from the option table. Only --help and completion load yargs: it costs
 * more start-up time than a cron tick should pay.
 */
export async function helpText(command: CommandName, width: number): Promise<string> {
  const spec = commandSpec(command);
  let y = yargs([]).scriptName('cronguard').usage(`Usage: ${spec.usage}\n\n${spec.summary}`).version(false).help(false).wrap(Math.min(width, 100));
  for (const o of spec.options) {
    const describe = o.defaultText ? `${o.describe} [default: ${o.defaultText}]` : o.describe;
    y = y.option(o.name, { type: o.kind === 'boolean' ? 'boolean' : 'string', describe, requiresArg: o.kind !== 'boolean', ...(o.kind === 'list' ? { array: true } : {}) });
  }
  if (command === 'run') {
    y = y.epilog([
      'Commands:',
      ...COMMANDS.filter((c) => c.name !== 'run').map((c) => `  cronguard ${c.name.padEnd(11)} ${c.summary}`),
      '',
      'Durations: 90, 90s, 15m, 2h, 1d, 1h30m, 500ms. Sizes: 1000, 64KiB, 1MiB, 1MB.',
      'Exit: the command\'s code; 124 timeout; 125 usage error; 126 cannot execute; 127 not found; 128+N signal N.',
      'See man cronguard.',
    ].join('\n'));
  } else {
    y = y.epilog('See man cronguard.');
  }
  return `${await y.getHelp()}\n`;
}
