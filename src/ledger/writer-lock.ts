/**
 * One writer per data directory. The writer holds `ledger.lock`, created with
 * O_EXCL and holding its pid. A lock whose pid is no longer alive (the
 * terminal was killed or lost power) is stale and is taken over; a live one
 * makes the second opener fail with 'ledger-busy' instead of sharing the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import { TillError } from '../shared/errors';
import { toLedgerError } from './io-errors';

export const LOCK_FILE = 'ledger.lock';

export interface WriterLock {
  readonly file: string;
  release(): void;
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The pid written in the lock file, or null when there is none (or it is unreadable). */
function lockHolder(dir: string): number | null {
  let text: string;
  try {
    text = fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8');
  } catch {
    return null;
  }
  const pid = Number.parseInt(text.trim(), 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : null;
}

/** the pid of a live process holding the writer lock of `dir` (a running terminal), or null */
export function runningWriter(dir: string): number | null {
  const pid = lockHolder(dir);
  return pid !== null && isAlive(pid) ? pid : null;
}

function busyError(dir: string, pid: number): TillError {
  return new TillError(
    'ledger-busy',
    `this terminal is already running (pid ${pid}) on ${dir}; stop it first (if no Till is running, delete ${path.join(dir, LOCK_FILE)})`,
    { pid },
  );
}

export function acquireWriterLock(dir: string): WriterLock {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 5; attempt++) {
    let fd: number;
    try {
      fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw toLedgerError(e, dir, 'the terminal could not take the writer lock');
      const holder = lockHolder(dir);
      if (holder !== null && isAlive(holder)) throw busyError(dir, holder);
      // Stale (dead pid) or half-written by a writer that died at once: take it over.
      try {
        fs.unlinkSync(file);
      } catch (u) {
        if ((u as NodeJS.ErrnoException).code !== 'ENOENT') throw toLedgerError(u, dir, 'the stale writer lock could not be removed');
      }
      continue;
    }
    let failure: unknown = null;
    try {
      fs.writeSync(fd, `${process.pid}\n`);
    } catch (e) {
      failure = e;
    } finally {
      fs.closeSync(fd);
    }
    if (failure !== null) {
      fs.rmSync(file, { force: true });
      throw toLedgerError(failure, dir, 'the terminal could not take the writer lock');
    }
    let released = false;
    return {
      file,
      release() {
        if (released) return;
        released = true;
        if (lockHolder(dir) === process.pid) fs.rmSync(file, { force: true });
      },
    };
  }
  const holder = lockHolder(dir);
  throw busyError(dir, holder ?? 0);
}
