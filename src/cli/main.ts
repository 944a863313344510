/**
 * Entry of the `till` command. Every failure that reaches a person is one line
 * naming what went wrong and what to do; stack traces only with TILL_DEBUG=1.
 */
import { isTillError } from '../shared/errors';
import { commands } from './commands';
import { EXIT, UsageError, processIO, type CliIO } from './io';
import { dataDirArg, maskArgs, openLog } from './logging';

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
  const log = await openLog(io, { name: 'cli', dir: dataDirArg(rest), longRunning: false });
  const logger = log.logger.child({ command: name });
  logger.info(`till ${name}`, { args: maskArgs(rest) });
  let code: number = EXIT.error;
  try {
    code = await command.run(rest, io);
    return code;
  } catch (e) {
    if (e instanceof UsageError) {
      code = EXIT.usage;
      io.err(`till ${name}: ${e.message}\nusage: ${command.usage}\n`);
      return code;
    }
    if (isTillError(e)) {
      logger.warn(`till ${name} refused: ${e.message}`, { code: e.code });
      io.err(`till ${name}: ${e.message}\n`);
      return code;
    }
    logger.error(`till ${name} failed`, { err: e });
    if (process.env.TILL_DEBUG === '1' && e instanceof Error) io.err(`${e.stack}\n`);
    io.err(`till ${name}: ${e instanceof Error ? e.message : String(e)}\n`);
    return code;
  } finally {
    logger.info(`till ${name} exited with ${code}`, { exit: code });
    await log.close();
  }
}
