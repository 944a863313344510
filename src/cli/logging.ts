/**
 * The `till` command's logs. processIO opens pino (src/terminal/runtime/logging.ts)
 * into the data directory the command names (only a directory that already
 * exists; a read-only one just gets no file): the command's own record
 * (`cli`, arguments with secrets masked, exit code) and, for the long-running
 * `till terminal` and `till hub`, the process's log (pretty on a TTY, JSON on
 * stderr otherwise, for journald). A CliIO without openLog (the tests' in-process
 * runs) writes long-running logs as lines to its err and drops the rest.
 */
import fs from 'node:fs';
import { lineLogger, nullLogger, REDACTED } from '../shared/logger';
import { createPinoLogger, defaultConsole, type PinoLogger } from '../terminal/index';

/** what openLog needs of a CliIO (kept structural so io.ts and this file do not import each other) */
interface LogIO {
  err(text: string): void;
  openLog?(r: LogRequest): Promise<PinoLogger>;
}

export interface LogRequest {
  name: 'cli' | 'terminal' | 'hub';
  /** the data directory the command works on, when it names one */
  dir: string | null;
  /** a process that runs until stopped: its log also goes to the console */
  longRunning: boolean;
}

const isDir = (d: string): boolean => {
  try {
    return fs.statSync(d).isDirectory();
  } catch {
    return false;
  }
};

/** processIO's logger: a file in DIR/logs when DIR exists and is writable */
export async function openProcessLog(r: LogRequest): Promise<PinoLogger> {
  const console = r.longRunning ? (defaultConsole(process.stderr) === 'pretty' ? 'pretty' : 'json') : 'none';
  try {
    return await createPinoLogger({ name: r.name, dir: r.dir && isDir(r.dir) ? r.dir : null, console });
  } catch {
    // an unwritable data directory (read-only mount, another user): log to the console only
    return createPinoLogger({ name: r.name, dir: null, console });
  }
}

/** the logger a command uses: the IO's own, or (tests) lines on err for long-running commands and nothing else */
export async function openLog(io: LogIO, r: LogRequest): Promise<PinoLogger> {
  if (io.openLog) return io.openLog(r);
  const logger = r.longRunning ? lineLogger((l) => io.err(`${l}\n`)) : nullLogger;
  return { logger, file: null, flush: async () => undefined, close: async () => undefined };
}

const SECRET_FLAGS = /^--(.*pin|code|token|password|secret)$/;

/** the arguments with the value of every secret flag (--pin, --admin-pin, --code, --token, ...) masked */
export function maskArgs(args: readonly string[]): string[] {
  return args.map((a, i) => {
    const eq = /^(--[^=]+)=/.exec(a);
    if (eq && SECRET_FLAGS.test(eq[1] as string)) return `${eq[1]}=${REDACTED}`;
    return i > 0 && SECRET_FLAGS.test(args[i - 1] as string) ? REDACTED : a;
  });
}

/** the value of --data (or --dir) in the arguments, if any */
export function dataDirArg(args: readonly string[]): string | null {
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    const m = /^--(data|dir)=(.+)$/.exec(a);
    if (m) return m[2] as string;
    if ((a === '--data' || a === '--dir') && args[i + 1]) return args[i + 1] as string;
  }
  return null;
}
