import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, openLedger } from '../../src/ledger/index';
import { TillError } from '../../src/shared/errors';
import { killHard, startFixture, tempDirs, waitForLine } from '../fixtures/ledger/helpers';

const tmp = tempDirs('lock');

function openError(dir: string): TillError {
  try {
    openLedger(dir).close();
  } catch (e) {
    if (e instanceof TillError) return e;
    throw e;
  }
  throw new Error('expected the open to be refused');
}

describe('one writer per data directory', () => {
  it('refuses a second process with "already running (pid N)", then takes over once that process is killed', async () => {
    const dir = path.join(tmp(), 'data');
    const child = startFixture('holder', [dir]);
    try {
      await waitForLine(child, 'ready');
      const e = openError(dir);
      expect(e.code).toBe('ledger-busy');
      expect(e.message).toContain(`this terminal is already running (pid ${child.pid})`);
      // read-only opens (verify, backup, reports) still work beside the writer
      const reader = openLedger(dir, { readonly: true });
      expect(reader.head().seq).toBe(1);
      reader.close();
    } finally {
      await killHard(child);
    }
    // the lock file is left behind by kill -9, naming a dead pid: it is stale and taken over
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(child.pid));
    const ledger = openLedger(dir);
    expect(ledger.append('Sale', { total: 1 }).seq).toBe(2);
    ledger.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });

  it('refuses a second open in the same process', () => {
    const dir = path.join(tmp(), 'data');
    const first = openLedger(dir, { create: { store: 'S1', terminal: 'T1' } });
    expect(openError(dir).message).toContain(`already running (pid ${process.pid})`);
    first.close();
    openLedger(dir).close();
  });

  it('takes over an empty or garbled lock file left by a writer that died while writing it', () => {
    const dir = path.join(tmp(), 'data');
    openLedger(dir, { create: { store: 'S1', terminal: 'T1' } }).close();
    fs.writeFileSync(path.join(dir, LOCK_FILE), '');
    openLedger(dir).close();
    fs.writeFileSync(path.join(dir, LOCK_FILE), 'garbage');
    openLedger(dir).close();
  });
});
