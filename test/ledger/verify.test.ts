import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { entryHash, openLedger, verifyLedger, type VerifyReason } from '../../src/ledger/index';
import { ledgerOnlyMigrations, tempDirs } from '../fixtures/ledger/helpers';

const tmp = tempDirs('verify');
const migrationsDir = ledgerOnlyMigrations(tmp);
const COUNT = 12;
let base: string;

beforeAll(() => {
  base = path.join(tmp(), 'data');
  const ledger = openLedger(base, { create: { store: 'S1', terminal: 'T1' }, migrationsDir });
  for (let i = 0; i < COUNT - 1; i++) ledger.append('Sale', { total: 1000 + i, note: `sale ${i}` });
  ledger.close();
});

/** A copy of the base ledger that an attacker may edit: triggers dropped, as anyone with the file could. */
function attackerCopy(): { dir: string; db: Database.Database } {
  const dir = path.join(tmp(), 'data');
  fs.mkdirSync(dir);
  fs.copyFileSync(path.join(base, 'ledger.db'), path.join(dir, 'ledger.db'));
  const db = new Database(path.join(dir, 'ledger.db'));
  db.exec('DROP TRIGGER journal_no_update; DROP TRIGGER journal_no_delete; DROP TRIGGER journal_next_seq; DROP TRIGGER journal_links;');
  return { dir, db };
}

const HEX = '0123456789abcdef';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** Changes exactly one character of `s` at index i, staying inside its alphabet (so the format still looks right). */
function oneByte(s: string, i: number): string {
  const c = s[i] as string;
  const alphabet = HEX.includes(c) && /^[0-9a-f]+$/.test(s) ? HEX : CROCKFORD.includes(c) ? CROCKFORD : null;
  // half way round the alphabet: ids made in the same millisecond differ by small steps in their last characters
  const next = alphabet ? (alphabet[(alphabet.indexOf(c) + alphabet.length / 2) % alphabet.length] as string) : String.fromCharCode(c.charCodeAt(0) ^ 1);
  return s.slice(0, i) + next + s.slice(i + 1);
}

const FIELDS = ['seq', 'id', 'type', 'at', 'payload', 'prev_hash', 'hash'] as const;
const EXPECTED: Record<(typeof FIELDS)[number], VerifyReason> = {
  seq: 'gap',
  id: 'hash-mismatch',
  type: 'hash-mismatch',
  at: 'hash-mismatch',
  payload: 'hash-mismatch',
  prev_hash: 'broken-link',
  hash: 'hash-mismatch',
};

describe('verifyLedger', () => {
  it('passes an intact ledger', async () => {
    const r = await verifyLedger(base);
    const ledger = openLedger(base, { readonly: true, migrationsDir });
    expect(r).toEqual({ ok: true, entries: COUNT, lastHash: ledger.head().hash, firstBad: null, detail: null });
    ledger.close();
  });

  describe.each(FIELDS)('one changed byte in %s', (field) => {
    it.each([1, 6, COUNT])('fails at entry %i', async (seq) => {
      const probe = attackerCopy();
      const original = (probe.db.prepare(`SELECT ${field} AS v FROM journal WHERE seq = ?`).get(seq) as { v: string | number }).v;
      probe.db.close();
      // seq: flip one bit of the stored integer's third byte; text: change the first, a middle and the last character
      const changes = typeof original === 'number' ? [original ^ 0x10000] : [0, Math.floor(original.length / 2), original.length - 1].map((i) => oneByte(original, i));
      for (const changed of changes) {
        const { dir, db } = attackerCopy();
        db.prepare(`UPDATE journal SET ${field} = ? WHERE seq = ?`).run(changed, seq);
        db.close();
        const r = await verifyLedger(dir);
        expect(r.ok, `${field} = ${changed}`).toBe(false);
        expect(r.firstBad, `${field} = ${changed}`).toEqual({ seq, reason: EXPECTED[field] });
        expect(r.entries).toBe(seq - 1);
      }
    });
  });

  it('names a missing entry as a gap', async () => {
    const { dir, db } = attackerCopy();
    db.prepare('DELETE FROM journal WHERE seq = 5').run();
    db.close();
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, entries: 4, firstBad: { seq: 5, reason: 'gap' } });
  });

  it('names a rewritten chain whose first entry is not a Genesis as a genesis failure', async () => {
    const { dir, db } = attackerCopy();
    const rows = db.prepare('SELECT seq, id, type, at, payload FROM journal ORDER BY seq').all() as Array<{ seq: number; id: string; type: string; at: string; payload: string }>;
    db.exec('DELETE FROM journal');
    let prev = '0'.repeat(64);
    const insert = db.prepare('INSERT INTO journal VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const r of rows) {
      const type = r.seq === 1 ? 'Sale' : r.type;
      const hash = entryHash(prev, r.seq, r.id, type, r.at, r.payload);
      insert.run(r.seq, r.id, type, r.at, r.payload, prev, hash);
      prev = hash;
    }
    db.close();
    expect((await verifyLedger(dir)).firstBad).toEqual({ seq: 1, reason: 'genesis' });
  });

  it('reports damage outside the journal rows found by integrity_check as integrity at seq 0', async () => {
    const { dir, db } = attackerCopy();
    // an index beside the journal rows (the ledger keeps none on id): damage there is not in any entry
    db.exec('CREATE UNIQUE INDEX journal_id ON journal (id)');
    const root = db.prepare("SELECT rootpage FROM sqlite_master WHERE name = 'journal_id'").pluck().get() as number;
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    db.pragma('journal_mode = DELETE');
    db.close();
    const file = path.join(dir, 'ledger.db');
    const fd = fs.openSync(file, 'r+');
    // scribble over the cell contents at the end of the id index's root page
    fs.writeSync(fd, Buffer.alloc(200, 0x41), 0, 200, root * pageSize - 200);
    fs.closeSync(fd);
    const r = await verifyLedger(dir);
    expect(r.ok).toBe(false);
    expect(r.firstBad).toEqual({ seq: 0, reason: 'integrity' });
    expect(r.entries).toBe(COUNT);
    expect(r.detail).toMatch(/integrity_check/);
  });

  it('reports a truncated file and a file that is not a database as damaged', async () => {
    const { dir, db } = attackerCopy();
    db.pragma('journal_mode = DELETE');
    db.close();
    const file = path.join(dir, 'ledger.db');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, firstBad: { reason: 'integrity' } });
    fs.writeFileSync(file, 'this is a spreadsheet, not a ledger'.repeat(200));
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, entries: 0, firstBad: { seq: 0, reason: 'integrity' } });
    fs.writeFileSync(file, '');
    expect(await verifyLedger(dir)).toMatchObject({ ok: false, entries: 0, firstBad: { seq: 0, reason: 'integrity' } });
  });
});

describe('verifyLedger in worker threads (the path of large journals)', () => {
  const parallel = { threads: 2, parallelFrom: 0 };

  it('agrees with the single-thread walk on an intact ledger', async () => {
    expect(await verifyLedger(base, parallel)).toEqual(await verifyLedger(base, { threads: 1 }));
  });

  it.each([
    ['a missing entry at the end of the first part', 'DELETE FROM journal WHERE seq = 6', { seq: 6, reason: 'gap' }, 5],
    ['a missing entry at the start of the second part', 'DELETE FROM journal WHERE seq = 7', { seq: 7, reason: 'gap' }, 6],
    ['a broken link at the start of the second part', "UPDATE journal SET prev_hash = substr(prev_hash, 2) || '0' WHERE seq = 7", { seq: 7, reason: 'broken-link' }, 6],
    ['a changed payload in the second part', "UPDATE journal SET payload = replace(payload, '100', '900') WHERE seq = 9", { seq: 9, reason: 'hash-mismatch' }, 8],
    ['a changed payload in both parts', "UPDATE journal SET payload = replace(payload, '100', '900') WHERE seq IN (3, 9)", { seq: 3, reason: 'hash-mismatch' }, 2],
  ])('finds %s', async (_name, sql, firstBad, entries) => {
    const { dir, db } = attackerCopy();
    db.exec(sql);
    const intactHash = db.prepare('SELECT hash FROM journal WHERE seq = ?').pluck().get(entries) as string;
    db.close();
    const single = await verifyLedger(dir, { threads: 1 });
    expect(single).toMatchObject({ ok: false, firstBad, entries, lastHash: intactHash });
    expect(await verifyLedger(dir, parallel)).toEqual(single);
  });
});
