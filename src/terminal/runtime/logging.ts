/**
 * The one pino set-up, used by the composition roots only (the `till`
 * command for itself, `till terminal` and `till hub`, and the Electron main
 * process): JSON records to rotating files in DIR/logs (pino-roll: a new file
 * every day or every 20 MB, the newest 14 kept, mode 0600), and on a terminal
 * (a TTY) the same records pretty-printed (pino-pretty); without a TTY,
 * long-running processes may also write JSON to stderr for journald.
 *
 * Redaction is configuration (src/shared/logger.ts): pino's redact paths
 * blank every secret field, and the message, error texts and string fields
 * pass through scrubText. Everything below the roots sees only the Logger
 * interface.
 */
import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import pretty from 'pino-pretty';
import pinoRoll from 'pino-roll';
import { REDACTED, redactPaths, scrubText, scrubValue, type LogFields, type LogLevel, type Logger } from '../../shared/logger';

export const LOG_DIR = 'logs';

export type ConsoleMode = 'pretty' | 'json' | 'none';

export interface PinoLoggerOptions {
  /** the process's name: the file is DIR/logs/<name>.<n>.log and every record carries {name} */
  name: 'terminal' | 'app' | 'cli' | 'hub';
  /** the data directory (a terminal's or the hub's); null: no file */
  dir: string | null;
  /** what goes to `consoleStream` besides the file (default: pretty on a TTY, else none) */
  console?: ConsoleMode;
  consoleStream?: NodeJS.WritableStream & { isTTY?: boolean; fd?: number };
  /** default: TILL_LOG_LEVEL, else info */
  level?: LogLevel;
  /** rotation (tests make it small) */
  rotate?: { size?: string; frequency?: 'daily' | 'hourly'; keep?: number };
}

export interface PinoLogger {
  logger: Logger;
  /** the file records go to now, or null */
  file: string | null;
  /** writes everything buffered */
  flush(): Promise<void>;
  close(): Promise<void>;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export function levelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const v = env.TILL_LOG_LEVEL?.toLowerCase();
  return LEVELS.find((l) => l === v) ?? 'info';
}

/** the default console: pretty on a TTY, nothing otherwise */
export function defaultConsole(stream: { isTTY?: boolean }): ConsoleMode {
  return stream.isTTY ? 'pretty' : 'none';
}

function adapt(p: pino.Logger): Logger {
  const at = (level: LogLevel) => (msg: string, fields?: LogFields) => {
    if (fields) p[level](fields, msg);
    else p[level](msg);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error'), child: (b) => adapt(p.child(b)) };
}

/** pino options shared by every destination: levels, redaction, scrubbing */
export function pinoOptions(name: string, level: LogLevel): pino.LoggerOptions {
  return {
    name,
    level,
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: redactPaths(), censor: REDACTED },
    // errors become {type, message, stack} in scrubValue (before serializers run), so pino's own err serializer is not wanted
    formatters: { log: (obj) => scrubValue(obj) as Record<string, unknown> },
    serializers: { err: (e: unknown) => e },
    hooks: {
      logMethod(args, method) {
        const clean = args.map((a) => (typeof a === 'string' ? scrubText(a) : a)) as Parameters<typeof method>;
        method.apply(this, clean);
      },
    },
  };
}

export async function createPinoLogger(o: PinoLoggerOptions): Promise<PinoLogger> {
  const consoleStream = o.consoleStream ?? process.stderr;
  const mode = o.console ?? defaultConsole(consoleStream);
  const level = o.level ?? levelFromEnv();
  const streams: pino.StreamEntry[] = [];
  let roll: Awaited<ReturnType<typeof pinoRoll>> | null = null;
  if (o.dir) {
    const dir = path.join(o.dir, LOG_DIR);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    roll = await pinoRoll({
      // pino-roll names the files <name>.<n>.log
      file: path.join(dir, o.name),
      frequency: o.rotate?.frequency ?? 'daily',
      size: o.rotate?.size ?? '20m',
      limit: { count: o.rotate?.keep ?? 14 },
      mkdir: true,
      mode: 0o600,
      // each record is written before the call returns: the last lines before a crash are kept
      sync: true,
    });
    streams.push({ level, stream: roll });
  }
  if (mode === 'pretty') {
    streams.push({ level, stream: pretty({ destination: consoleStream, colorize: consoleStream.isTTY === true, translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname', sync: true }) });
  } else if (mode === 'json') {
    streams.push({ level, stream: consoleStream });
  }
  const p = pino(pinoOptions(o.name, level), streams.length ? pino.multistream(streams) : pino.destination({ dest: '/dev/null', sync: true }));
  const r = roll;
  return {
    logger: adapt(p),
    get file() {
      // SonicBoom keeps the path it writes to (pino-roll reopens it on each roll)
      return r ? ((r as unknown as { file: string }).file ?? null) : null;
    },
    flush: () => new Promise<void>((resolve) => (r ? r.flush(() => resolve()) : resolve())),
    close: () =>
      new Promise<void>((resolve) => {
        if (!r) return resolve();
        r.flush(() => {
          r.end();
          resolve();
        });
      }),
  };
}
