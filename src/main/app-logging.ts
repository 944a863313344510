/**
 * The Electron main process's log: pino records in DATA/logs/app.<n>.log
 * (rotated, secrets redacted: src/terminal/runtime/logging.ts), pretty on
 * stdout when the app was started from a terminal (npm start), nothing on
 * stdout in a packaged app. Kept apart from index.ts (which imports
 * electron) so the tests run it under Node.
 */
import { createPinoLogger, defaultConsole, type PinoLogger } from '../terminal/index';

export function openAppLog(dataDir: string, stdout: NodeJS.WritableStream & { isTTY?: boolean } = process.stdout): Promise<PinoLogger> {
  return createPinoLogger({ name: 'app', dir: dataDir, console: defaultConsole(stdout), consoleStream: stdout });
}
