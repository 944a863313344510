import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { LOCK_FILE, openLedger, type Ledger } from '../../src/ledger/index';
import { GENESIS_PREV_HASH, journalEntrySchema, type JournalEntry } from '../../src/shared/journal';
import { ledgerOnlyMigrations, tempDirs } from '../fixtures/ledger/helpers';
import { tillError } from '../support/errors';

const tmp = tempDirs('ledger');
const migrationsDir = ledgerOnlyMigrations(tmp);
const ID = { store: 'S1', terminal: 'T7' };

function fresh(extra: Parameters<typeof openLedger>[1] = {}): Ledger {
  return openLedger(path.join(tmp(), 'data'), { create: ID, migrationsDir, ...extra });
}


/** The chain rule, written out independently of src/ledger/chain.ts. */
const sha = (prev: string, e: JournalEntry) => createHash('sha256').update(JSON.stringify([prev, e.seq, e.id, e.type, e.at, e.payload])).digest('hex');

describe('openLedger', () => {
  it('sets WAL and synchronous=FULL on every open, read back after a reopen', () => {
    const ledger = fresh();
    const dir = ledger.dir;
    ledger.close();
    const again = openLedger(dir, { migrationsDir });
    expect(again.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(again.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(again.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(again.db.pragma('busy_timeout', { simple: true })).toBeGreaterThan(0);
    again.close();
    // Without our open, better-sqlite3 comes back at NORMAL: the reason the pragma is set every time.
    const plain = new Database(path.join(dir, 'ledger.db'));
    expect(plain.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(plain.pragma('synchronous', { simple: true })).not.toBe(2);
    plain.close();
  });

  it('binds the identity into a genesis entry and reads it back on open', async () => {
    const at = new Date('2026-03-01T08:00:00.000Z');
    const ledger = fresh({ clock: () => at });
    const [genesis] = ledger.entries(1, 10);
    expect(genesis).toMatchObject({ seq: 1, type: 'Genesis', prevHash: GENESIS_PREV_HASH, at: at.toISOString() });
    expect(JSON.parse(genesis?.payload ?? '')).toEqual({ store: 'S1', terminal: 'T7', createdAt: at.toISOString(), schema: 1 });
    const dir = ledger.dir;
    ledger.close();
    const again = openLedger(dir, { migrationsDir });
    expect(again.identity).toEqual(ID);
    again.close();
    expect(tillError(() => openLedger(dir, { create: { store: 'S1', terminal: 'T8' }, migrationsDir })).code).toBe('conflict');
  });

  it('refuses bad store or terminal codes', async () => {
    expect(tillError(() => openLedger(tmp(), { create: { store: 'S 1', terminal: 'T1' } })).code).toBe('bad-input');
    expect(tillError(() => openLedger(tmp(), { create: { store: 'S1', terminal: 'T123456789012' } })).code).toBe('bad-input');
  });

  it('names a missing directory, a file given as directory, and an empty directory as not found', () => {
    const d = tmp();
    fs.writeFileSync(path.join(d, 'file'), 'x');
    expect(tillError(() => openLedger(path.join(d, 'nope'))).message).toMatch(/there is no data directory at .*nope/);
    expect(tillError(() => openLedger(path.join(d, 'file'))).message).toMatch(/is a file, not a data directory/);
    const e = tillError(() => openLedger(d));
    expect(e.code).toBe('ledger-not-found');
    expect(e.message).toMatch(/there is no ledger in .*till init/);
  });
});

describe('the journal', () => {
  it('appends entries with seq +1, ULID ids, UTC times, canonical JSON and a SHA-256 chain', () => {
    let t = Date.parse('2026-03-01T08:00:00.000Z');
    const ledger = fresh({ clock: () => new Date((t += 1001)) });
    const a = ledger.append('Sale', { total: 1250, lines: [{ sku: 'A', qty: 2 }] });
    const b = ledger.append('Drawer', { reason: 'no-sale', by: 'u1' });
    expect(a.payload).toBe('{"lines":[{"qty":2,"sku":"A"}],"total":1250}');
    const all = ledger.entries(1, 100);
    expect(all.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(all.slice(1)).toEqual([a, b]);
    let prev = GENESIS_PREV_HASH;
    for (const e of all) {
      journalEntrySchema.parse(e);
      expect(e.prevHash).toBe(prev);
      expect(e.hash).toBe(sha(prev, e));
      prev = e.hash;
    }
    expect(new Set(all.map((e) => e.id)).size).toBe(3);
    expect(b.at).toBe(new Date(t).toISOString());
    expect(ledger.head()).toEqual({ seq: 3, hash: b.hash });
    ledger.close();
  });

  it('uses an injected id source', async () => {
    let n = 0;
    const ledger = fresh({ newId: () => `01HZZZZZZZZZZZZZZZZZZZZZ${String(n++).padStart(2, '0')}` });
    expect(ledger.append('Sale', {}).id).toBe('01HZZZZZZZZZZZZZZZZZZZZZ01');
    ledger.close();
  });

  it('refuses floats, reserved and bad types', () => {
    const ledger = fresh();
    expect(tillError(() => ledger.append('Sale', { total: 12.5 })).code).toBe('bad-input');
    expect(tillError(() => ledger.append('Genesis', {})).code).toBe('bad-input');
    expect(tillError(() => ledger.append('', {})).code).toBe('bad-input');
    expect(ledger.head().seq).toBe(1);
    ledger.close();
  });

  it('triggers refuse UPDATE and DELETE of any entry, an out-of-order seq and a wrong prev_hash', () => {
    const ledger = fresh();
    const e = ledger.append('Sale', { total: 1 });
    for (const col of ['seq', 'id', 'type', 'at', 'payload', 'prev_hash', 'hash']) {
      expect(() => ledger.db.prepare(`UPDATE journal SET ${col} = ${col} WHERE seq = 2`).run()).toThrow(/append-only/);
    }
    expect(() => ledger.db.prepare('DELETE FROM journal WHERE seq = 2').run()).toThrow(/append-only/);
    expect(() => ledger.db.prepare('DELETE FROM journal').run()).toThrow(/append-only/);
    const insert = ledger.db.prepare('INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?)');
    const h = 'a'.repeat(64);
    expect(() => insert.run(4, '01HZZZZZZZZZZZZZZZZZZZZZ99', 'Sale', e.at, '{}', e.hash, h)).toThrow(/previous seq \+ 1/);
    expect(() => insert.run(3, '01HZZZZZZZZZZZZZZZZZZZZZ99', 'Sale', e.at, '{}', h, h)).toThrow(/prev_hash must be the hash/);
    expect(ledger.head().seq).toBe(2);
    ledger.close();
  });

  it('runs the projector and alsoInTx in the append transaction: a throw leaves no entry and no gap', async () => {
    const ledger = fresh();
    ledger.db.exec('CREATE TABLE tally (type TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    ledger.registerProjector('Sale', (db, entry, payload) => {
      if ((payload as { total: number }).total < 0) throw new Error('negative sale');
      db.prepare('INSERT INTO tally VALUES (?, 1) ON CONFLICT (type) DO UPDATE SET n = n + 1').run(entry.type);
    });
    ledger.append('Sale', { total: 5 });
    expect(() => ledger.append('Sale', { total: -1 })).toThrow(/negative sale/);
    expect(() => ledger.append('Sale', { total: 7 }, () => {
      throw new Error('printer queue full');
    })).toThrow(/printer queue full/);
    expect(ledger.head().seq).toBe(2);
    expect(ledger.append('Sale', { total: 9 }).seq).toBe(3);
    expect(ledger.db.prepare('SELECT n FROM tally').pluck().get()).toBe(2);
    ledger.close();
  });

  it('joins appends in one transaction: all or nothing', async () => {
    const ledger = fresh();
    ledger.transaction(() => {
      ledger.append('A', {});
      ledger.append('B', {});
    });
    expect(() =>
      ledger.transaction(() => {
        ledger.append('C', {});
        throw new Error('abort');
      }),
    ).toThrow('abort');
    expect(ledger.entries(1, 10).map((e) => e.type)).toEqual(['Genesis', 'A', 'B']);
    ledger.close();
  });

  it('gives receipt numbers from store, terminal and seq', () => {
    const ledger = fresh();
    const e = ledger.append('Sale', { total: 1 });
    expect(ledger.receiptNumber(e.seq)).toBe('S1-T7-00000002');
    ledger.close();
  });
});

describe('projections', () => {
  it('rebuilds declared projection tables from the journal alone, children before parents', () => {
    const ledger = fresh();
    ledger.db.exec(`
      CREATE TABLE sales (seq INTEGER PRIMARY KEY, total INTEGER NOT NULL);
      CREATE TABLE sale_lines (seq INTEGER NOT NULL REFERENCES sales(seq), sku TEXT NOT NULL);`);
    ledger.declareProjectionTables('sales', 'sale_lines');
    ledger.registerProjector('Sale', (db, entry, payload) => {
      const p = payload as { total: number; skus: string[] };
      db.prepare('INSERT INTO sales VALUES (?, ?)').run(entry.seq, p.total);
      for (const sku of p.skus) db.prepare('INSERT INTO sale_lines VALUES (?, ?)').run(entry.seq, sku);
    });
    ledger.transaction(() => {
      for (let i = 0; i < 2500; i++) ledger.append('Sale', { total: i, skus: ['A', 'B'] });
    });
    const snapshot = () => ({
      sales: ledger.db.prepare('SELECT count(*) AS n, sum(total) AS s FROM sales').get(),
      lines: ledger.db.prepare('SELECT count(*) FROM sale_lines').pluck().get(),
    });
    const before = snapshot();
    ledger.db.exec("DELETE FROM sale_lines WHERE seq < 100; UPDATE sales SET total = 0; INSERT INTO sales VALUES (99999, 1)");
    expect(snapshot()).not.toEqual(before);
    ledger.rebuildProjections();
    expect(snapshot()).toEqual(before);
    expect(before).toEqual({ sales: { n: 2500, s: (2499 * 2500) / 2 }, lines: 5000 });
    ledger.close();
  });

  it('refuses to declare the journal or the carts as projections, and undeclared tables at rebuild', () => {
    const ledger = fresh();
    expect(() => ledger.declareProjectionTables('journal')).toThrow(/never emptied/);
    expect(() => ledger.declareProjectionTables('open_carts')).toThrow(/never emptied/);
    ledger.declareProjectionTables('nonesuch');
    expect(() => ledger.rebuildProjections()).toThrow(/do not exist/);
    ledger.close();
  });
});

describe('read-only opens', () => {
  it('take no writer lock and refuse writes', async () => {
    const w = fresh();
    const dir = w.dir;
    w.close();
    const r = openLedger(dir, { readonly: true, migrationsDir });
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
    expect(r.isReadonly).toBe(true);
    expect(() => r.append('Sale', {})).toThrow(/read-only/);
    expect(() => r.carts.save('c', {})).toThrow(/read-only/);
    const w2 = openLedger(dir, { migrationsDir });
    expect(fs.readFileSync(path.join(dir, LOCK_FILE), 'utf8').trim()).toBe(String(process.pid));
    expect(r.head().seq).toBe(1);
    w2.close();
    r.close();
    expect(fs.existsSync(path.join(dir, LOCK_FILE))).toBe(false);
  });
});
