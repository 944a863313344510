/**
 * Entry of the `till` command. Every failure that reaches a person is one line
 * naming what went wrong and what to do; stack traces only with TILL_DEBUG=1.
 */
import { isTillError } from '../shared/errors';
import { commands } from './commands';
import { EXIT, UsageError, processIO, type CliIO } from './io';

function help(io: CliIO): void {
  io.out('usage: till <command> [options]\n\ncommands:\n');
}

export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    for (const [n, load] of Object.entries(commands)) {
      const c = await load();
      io.out(`  ${n.padEnd(18)} ${c.summary}\n`);
    }
    return name ? EXIT.ok : EXIT.usage;
  }
  const load = commands[name];
  if (!load) {
    io.err(`till: unknown command '${name}' (run 'till help' for the list)\n`);
    return EXIT.usage;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`usage: ${command.usage}\n`);
    return EXIT.ok;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`till ${name}: ${e.message}\nusage: ${command.usage}\n`);
      return EXIT.usage;
    }
    if (isTillError(e)) {
      io.err(`till ${name}: ${e.message}\n`);
      return EXIT.error;
    }
    if (process.env.TILL_DEBUG === '1' && e instanceof Error) io.err(`${e.stack}\n`);
    io.err(`till ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return EXIT.error;
  }
}
