import type { PinoLogger } from '../terminal/index';
import type { LogRequest } from './logging';

/** What a command may touch of the outside world, so tests can run commands in-process. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** for long-running commands (hub, terminal, virtual-printer): resolves on SIGINT/SIGTERM */
  untilSignal(): Promise<void>;
  /** one line from standard input, never echoed (the prompt goes to stderr when it is a terminal) */
  secret?(prompt: string): Promise<string>;
  /** opens a pino logger for the command (src/cli/logging.ts); without it, see openLog() there */
  openLog?(r: LogRequest): Promise<PinoLogger>;
}

/** one line from stdin; on a terminal what is typed is not echoed */
async function readStdinSecret(prompt: string): Promise<string> {
  const input = process.stdin;
  if (input.isTTY) {
    process.stderr.write(prompt);
    input.setRawMode(true);
  }
  input.setEncoding('utf8');
  try {
    return await new Promise<string>((resolve, reject) => {
      let text = '';
      const done = (value: string | Error) => {
        input.off('data', onData);
        input.off('end', onEnd);
        input.pause();
        if (value instanceof Error) reject(value);
        else resolve(value);
      };
      const onData = (chunk: string) => {
        if (chunk.includes('\u0003')) return done(new UsageError('cancelled'));
        text += chunk;
        const nl = text.search(/[\r\n]/);
        if (nl >= 0) done(text.slice(0, nl));
      };
      const onEnd = () => done(text);
      input.on('data', onData);
      input.on('end', onEnd);
      input.resume();
    });
  } finally {
    if (input.isTTY) {
      input.setRawMode(false);
      process.stderr.write('\n');
    }
  }
}

/** a secret from the command's input (a usage error where there is none) */
export function readSecret(io: CliIO, prompt: string): Promise<string> {
  if (!io.secret) return Promise.reject(new UsageError('this command reads a secret from standard input, which is not available here'));
  return io.secret(prompt);
}

export const processIO: CliIO = {
  openLog: async (r) => (await import('./logging')).openProcessLog(r),
  out: (t) => void process.stdout.write(t),
  err: (t) => void process.stderr.write(t),
  untilSignal: () =>
    new Promise((resolve) => {
      const done = () => {
        process.off('SIGINT', done);
        process.off('SIGTERM', done);
        resolve();
      };
      process.on('SIGINT', done);
      process.on('SIGTERM', done);
    }),
  secret: readStdinSecret,
};

export interface Command {
  /** one line for `till help` */
  summary: string;
  usage: string;
  run(args: string[], io: CliIO): Promise<number>;
}

/** Exit codes: 0 ok, 1 the check failed (verify found damage), 2 bad usage, 3 refused/error. */
export const EXIT = { ok: 0, failed: 1, usage: 2, error: 3 } as const;

export class UsageError extends Error {}
