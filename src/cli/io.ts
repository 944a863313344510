/** What a command may touch of the outside world, so tests can run commands in-process. */
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
  /** for long-running commands (hub, terminal, virtual-printer): resolves on SIGINT/SIGTERM */
  untilSignal(): Promise<void>;
}

export const processIO: CliIO = {
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
