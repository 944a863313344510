/**
 * Data at rest: a terminal's data directory is 0700 and every file in it
 * 0600 (ledger.db with its -wal and -shm, carts.db, the lock), backups too,
 * an older data directory made 0755/0644 is brought forward when a writer
 * opens it, and the hub's SQLite store and its runtime file are private too.
 * The process umask is widened to 000 for the test, so only the code's own
 * modes count.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupLedger, openLedger } from '../../src/ledger/index';
import { openSqliteStore } from '../../src/hub/store/sqlite-store';
import { writeRuntime } from '../../src/hub/runtime';
import { VirtualPrinter } from '../../drivers/printer/virtual-printer';
import { tempDirs } from '../fixtures/ledger/helpers';

const tmp = tempDirs('modes');
let umask = 0;
beforeAll(() => {
  umask = process.umask(0);
});
afterAll(() => {
  process.umask(umask);
});

/** every file and folder under dir with a mode other than 0600 / 0700 (links skipped) */
function loose(dir: string): string[] {
  const out: string[] = [];
  const check = (p: string) => {
    const st = fs.lstatSync(p);
    if (st.isSymbolicLink()) return;
    const want = st.isDirectory() ? 0o700 : 0o600;
    if ((st.mode & 0o777) !== want) out.push(`${path.relative(dir, p) || '.'} ${(st.mode & 0o777).toString(8)}`);
    if (st.isDirectory()) for (const n of fs.readdirSync(p)) check(path.join(p, n));
  };
  check(dir);
  return out;
}

describe('file modes', () => {
  it('a new ledger, its open carts and its backups are 0700 folders of 0600 files', async () => {
    const dir = path.join(tmp(), 'data');
    const ledger = openLedger(dir, { create: { store: 'S1', terminal: 'T1' } });
    ledger.append('Sale', { total: 1 });
    ledger.carts.save('c1', { lines: [] });
    expect(fs.existsSync(path.join(dir, 'ledger.db-wal'))).toBe(true);
    expect(loose(dir)).toEqual([]);
    const to = path.join(tmp(), 'backups');
    await backupLedger(dir, to);
    ledger.close();
    expect(loose(to)).toEqual([]);
    expect(loose(dir)).toEqual([]);
  });

  it('an older data directory left 0755 with 0644 files is made private when a writer opens it', () => {
    const dir = path.join(tmp(), 'data');
    openLedger(dir, { create: { store: 'S1', terminal: 'T1' } }).close();
    fs.chmodSync(dir, 0o755);
    for (const f of fs.readdirSync(dir)) fs.chmodSync(path.join(dir, f), 0o644);
    fs.writeFileSync(path.join(dir, 'devices.json'), '{}', { mode: 0o644 });
    expect(loose(dir).length).toBeGreaterThan(1);
    const ledger = openLedger(dir);
    ledger.append('Sale', { total: 2 });
    expect(loose(dir)).toEqual([]);
    ledger.close();
  });

  it("the hub's SQLite store and runtime file are private", async () => {
    const dir = path.join(tmp(), 'hub');
    const store = openSqliteStore(dir);
    await store.changeCatalog([{ kind: 'settings', key: 'store', data: null }]);
    writeRuntime(dir, { url: 'http://127.0.0.1:1', pid: process.pid });
    expect(fs.existsSync(path.join(dir, 'hub.sqlite-wal'))).toBe(true);
    expect(loose(dir)).toEqual([]);
    await store.close();
  });

  it('receipts the virtual printer writes are private', async () => {
    const out = path.join(tmp(), 'receipts');
    const p = new VirtualPrinter({ outDir: out, font: null, port: 0 });
    const port = await p.start();
    try {
      const printed = p.next('job', 10_000);
      const s = net.connect(port, '127.0.0.1', () => s.end(Buffer.from('会员 张三\n\x1dV\x00', 'latin1')));
      await printed;
    } finally {
      await p.stop();
    }
    expect(fs.readdirSync(out).sort()).toEqual(['1.png', '1.txt']);
    expect(loose(out)).toEqual([]);
  });
});
