/**
 * One test per migration of migrations/terminal (Signal Desktop's habit):
 * migrate an empty database to the version before it, put rows in what
 * exists then, apply the migration, and check that every earlier row is still
 * there, unchanged, and that the new schema holds what it is for (and refuses
 * what its constraints refuse). A migration without a case here fails the
 * first test, so a new one cannot land untested.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, loadMigrations, migrate } from '../../src/ledger/index';

const ALL = loadMigrations(DEFAULT_MIGRATIONS_DIR);
const ZERO = '0'.repeat(64);
const HASH = 'a'.repeat(64);

type Db = Database.Database;

interface Case {
  /** rows in the schema before the migration */
  before: (db: Db) => void;
  /** what the migration adds, checked after it */
  after: (db: Db) => void;
  /** tables whose rows the migration drops on purpose (operational state, not history) */
  drops?: string[];
}

const journalRow = (db: Db) =>
  db.prepare('INSERT INTO journal (seq, id, type, at, payload, prev_hash, hash) VALUES (1, ?, ?, ?, ?, ?, ?)').run('01JAAAAAAAAAAAAAAAAAAAAAAA', 'Genesis', '2026-01-01T00:00:00.000Z', '{"schema":1,"store":"S1","terminal":"T1"}', ZERO, HASH);

const CASES: Record<number, Case> = {
  1: {
    before: () => undefined,
    after: (db) => {
      journalRow(db);
      expect(() => db.prepare("UPDATE journal SET type = 'X' WHERE seq = 1").run()).toThrow(/append-only/);
      expect(() => db.prepare('INSERT INTO journal (seq, id, type, at, payload, prev_hash, hash) VALUES (3, ?, ?, ?, ?, ?, ?)').run('01JAAAAAAAAAAAAAAAAAAAAAAB', 'A', '2026-01-01T00:00:00.000Z', '{}', HASH, HASH)).toThrow(/seq must be/);
    },
  },
  10: {
    before: journalRow,
    after: (db) => {
      db.prepare("INSERT INTO products VALUES ('P1', '可乐', '1', '饮料', '瓶', 350, NULL, 1300, 0, 1, 'kl', 'kele')").run();
      db.prepare("INSERT INTO barcodes VALUES ('6901234567892', 'P1')").run();
      db.prepare("INSERT INTO catalog_state VALUES (1, 1, NULL)").run();
      expect(() => db.prepare("INSERT INTO products VALUES ('P2', 'x', NULL, 'c', 'u', 1, NULL, 700, 0, 1, '', '')").run()).toThrow(/CHECK/);
      expect(db.prepare('SELECT sku FROM barcodes WHERE barcode = ?').pluck().get('6901234567892')).toBe('P1');
    },
  },
  11: {
    before: (db) => {
      journalRow(db);
      db.prepare("INSERT INTO products VALUES ('P1', '可乐', '1', '饮料', '瓶', 350, NULL, 1300, 0, 1, 'kl', 'kele')").run();
    },
    after: (db) => {
      db.prepare("INSERT INTO sales VALUES (2, 'sale-1', 'S1-T1-00000002', '2026-01-01T00:00:01.000Z', '1001', NULL, 1, 350, 0, 0, 350, 500, 150)").run();
      db.prepare("INSERT INTO sale_lines VALUES (2, 1, 'P1', '可乐', '饮料', 1, 350, 350, 0, 350, 1300, 40, 0)").run();
      db.prepare("INSERT INTO sale_tenders VALUES (2, 1, 'cash', 350, 500, 150, NULL, NULL)").run();
      expect(() => db.prepare("INSERT INTO sale_lines VALUES (9, 1, 'P1', '可乐', '饮料', 1, 350, 350, 0, 350, 1300, 40, 0)").run()).toThrow(/FOREIGN KEY/);
    },
  },
  12: {
    before: (db) => {
      journalRow(db);
      db.prepare("INSERT INTO sales VALUES (2, 'sale-1', 'S1-T1-00000002', '2026-01-01T00:00:01.000Z', '1001', NULL, 1, 350, 0, 0, 350, 500, 150)").run();
    },
    after: (db) => {
      db.prepare("INSERT INTO users VALUES ('1001', 'Ann', 'cashier', 'scrypt$16384$8$1$salt$hash', 1)").run();
      expect(() => db.prepare("INSERT INTO users VALUES ('1002', 'Bo', 'owner', 'h', 1)").run()).toThrow(/CHECK/);
    },
  },
  20: {
    before: (db) => {
      journalRow(db);
      db.prepare("INSERT INTO users VALUES ('1001', 'Ann', 'cashier', 'scrypt$16384$8$1$salt$hash', 1)").run();
    },
    after: (db) => {
      db.prepare("INSERT INTO shifts (shift_id, open_seq, opened_at, opened_by, float) VALUES ('sh1', 2, '2026-01-01T08:00:00.000Z', '1001', 10000)").run();
      expect(() => db.prepare("INSERT INTO shifts (shift_id, open_seq, opened_at, opened_by, float) VALUES ('sh2', 3, '2026-01-01T09:00:00.000Z', '1001', 0)").run()).toThrow(/UNIQUE/);
      db.prepare("INSERT INTO cash_movements VALUES (4, 'sh1', '2026-01-01T09:00:00.000Z', 'paid-in', 500, '找零', '1001', NULL)").run();
      db.prepare("INSERT INTO login_attempts VALUES ('1001', 2, NULL)").run();
      expect(() => db.prepare("INSERT INTO drawer_openings VALUES (5, '2026-01-01T09:00:00.000Z', 'party', NULL, NULL, '1001', NULL, NULL)").run()).toThrow(/CHECK/);
    },
  },
  21: {
    before: (db) => {
      journalRow(db);
      db.prepare("INSERT INTO shifts (shift_id, open_seq, opened_at, opened_by, float) VALUES ('sh1', 2, '2026-01-01T08:00:00.000Z', '1001', 10000)").run();
    },
    after: (db) => {
      expect(db.prepare("SELECT rejected_counts FROM shifts WHERE shift_id = 'sh1'").pluck().get()).toBe(0);
      db.prepare("UPDATE shifts SET rejected_counts = rejected_counts + 1 WHERE shift_id = 'sh1'").run();
      expect(db.prepare("SELECT rejected_counts FROM shifts WHERE shift_id = 'sh1'").pluck().get()).toBe(1);
    },
  },
  40: {
    before: (db) => {
      journalRow(db);
      db.prepare("INSERT INTO shifts (shift_id, open_seq, opened_at, opened_by, float) VALUES ('sh1', 2, '2026-01-01T08:00:00.000Z', '1001', 10000)").run();
    },
    after: (db) => {
      db.prepare("INSERT INTO sync_state VALUES (1, 1, ?, '2026-01-01T08:00:00.000Z')").run(HASH);
      db.prepare("INSERT INTO sync_alerts (at, code, message, details) VALUES ('2026-01-01T08:00:00.000Z', 'diverged', 'the hub holds another entry 1', '{}')").run();
      expect(() => db.prepare("INSERT OR REPLACE INTO sync_state VALUES (1, 1, 'short', '2026-01-01T08:00:00.000Z')").run()).toThrow(/CHECK/);
    },
  },
  41: {
    before: (db) => {
      journalRow(db);
      db.prepare("INSERT INTO sync_state VALUES (1, 1, ?, '2026-01-01T08:00:00.000Z')").run(HASH);
    },
    after: (db) => {
      db.prepare("INSERT INTO sync_catalog VALUES (1, 7, '2026-01-01T08:00:00.000Z')").run();
      expect(() => db.prepare("INSERT OR REPLACE INTO sync_catalog VALUES (1, -1, '2026-01-01T08:00:00.000Z')").run()).toThrow(/CHECK/);
    },
  },
  50: {
    before: (db) => {
      journalRow(db);
      db.prepare("INSERT INTO users VALUES ('1001', 'Ann', 'cashier', 'scrypt$16384$8$1$salt$hash', 1)").run();
      db.prepare("INSERT INTO login_attempts VALUES ('1001', 3, NULL)").run();
    },
    drops: ['login_attempts'],
    after: (db) => {
      expect(db.prepare('SELECT count(*) FROM login_attempts').pluck().get()).toBe(0);
      expect(db.prepare("SELECT must_change_pin FROM users WHERE code = '1001'").pluck().get()).toBe(0);
      db.prepare("INSERT INTO login_attempts VALUES ('local', '1001', 1, NULL)").run();
      db.prepare("INSERT INTO login_attempts VALUES ('lane:abc', '1001', 5, '2026-01-01T08:15:00.000Z')").run();
      expect(() => db.prepare("INSERT INTO login_attempts VALUES ('local', '1001', 2, NULL)").run()).toThrow(/UNIQUE/);
      expect(() => db.prepare("UPDATE users SET must_change_pin = 2 WHERE code = '1001'").run()).toThrow(/CHECK/);
    },
  },
  60: {
    before: (db) => {
      journalRow(db);
      db.prepare("INSERT INTO sales VALUES (2, 'sale-1', 'S1-T1-00000002', '2026-01-01T00:00:01.000Z', '1001', NULL, 1, 350, 0, 0, 350, 350, 0)").run();
      db.prepare("INSERT INTO sale_tenders VALUES (2, 1, 'payment-code', 350, 350, 0, 'S1-T1-1', 'wechat')").run();
    },
    after: (db) => {
      db.prepare("INSERT INTO payment_orders (order_no, seq, provider, amount, cart_id, started_at, state) VALUES ('S1-T1-3', 3, 'wechat', 350, 'cart-1', '2026-01-01T00:00:02.000Z', 'open')").run();
      db.prepare("UPDATE payment_orders SET state = 'approved', reference = '4200000000000000000000000001' WHERE order_no = 'S1-T1-3'").run();
      expect(() => db.prepare("INSERT INTO payment_orders (order_no, seq, provider, amount, cart_id, started_at, state) VALUES ('S1-T1-4', 4, 'paypal', 350, 'c', 'x', 'open')").run()).toThrow(/CHECK/);
      expect(() => db.prepare("INSERT INTO payment_orders (order_no, seq, provider, amount, cart_id, started_at, state) VALUES ('S1-T1-5', 5, 'alipay', 0, 'c', 'x', 'open')").run()).toThrow(/CHECK/);
      db.prepare("INSERT INTO payment_refunds (refund_no, refund_id, order_no, provider, amount, total, sale_seq, seq, started_at, state) VALUES ('S1-T1-R6-1', 'r1', 'S1-T1-3', 'wechat', 100, 350, 2, 6, 'x', 'open')").run();
      expect(() => db.prepare("UPDATE payment_refunds SET state = 'lost'").run()).toThrow(/CHECK/);
      db.prepare("INSERT INTO store_payments VALUES ('*', '{\"store\":\"*\",\"mode\":\"none\"}')").run();
      expect(() => db.prepare("INSERT INTO store_payments VALUES ('*', '{}')").run()).toThrow(/UNIQUE|PRIMARY/);
    },
  },
  70: {
    before: (db) => {
      journalRow(db);
      db.prepare("INSERT INTO members VALUES ('80001234', '张伟', 1)").run();
    },
    after: (db) => {
      db.prepare("INSERT INTO member_openings VALUES ('80001234', '金卡', 1200, 35050, '13800138000', 2, '2026-01-01T00:00:01.000Z')").run();
      db.prepare("INSERT INTO member_openings VALUES ('80001235', NULL, 0, 0, NULL, 2, '2026-01-01T00:00:01.000Z')").run();
      expect(() => db.prepare("INSERT INTO member_openings VALUES ('80001234', NULL, 1, 1, NULL, 3, 'at')").run()).toThrow(/UNIQUE/);
      expect(() => db.prepare("INSERT INTO member_openings VALUES ('80001236', NULL, -1, 0, NULL, 3, 'at')").run()).toThrow(/CHECK/);
      expect(() => db.prepare("INSERT INTO member_openings VALUES ('80001237', NULL, 0, -5, NULL, 3, 'at')").run()).toThrow(/CHECK/);
    },
  },
};

/** every row of every table but the runner's own, by table */
function dump(db: Db): Record<string, unknown[]> {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('schema_migrations', 'sqlite_sequence') ORDER BY name").pluck().all() as string[];
  return Object.fromEntries(tables.map((t) => [t, db.prepare(`SELECT * FROM "${t}"`).all()]));
}

describe('terminal migrations', () => {
  it('has a case for every migration file and none for a file that does not exist', () => {
    expect(Object.keys(CASES).map(Number)).toEqual(ALL.map((m) => m.version));
  });

  for (const m of ALL) {
    it(`${String(m.version).padStart(4, '0')}_${m.name}: keeps the rows of the schema before it and adds what it is for`, () => {
      const c = CASES[m.version] as Case;
      const db = new Database(':memory:');
      db.pragma('foreign_keys = ON');
      migrate(db, ALL.filter((x) => x.version < m.version));
      c.before(db);
      const rows = dump(db);
      expect(migrate(db, ALL.filter((x) => x.version <= m.version)).applied).toEqual([m.version]);
      const after = dump(db);
      for (const [table, before] of Object.entries(rows).filter(([t]) => !c.drops?.includes(t))) {
        // a column the migration adds shows up with its default; the rest of each row is as it was
        expect((after[table] ?? []).map((r) => Object.fromEntries(Object.entries(r as object).filter(([k]) => k in ((before[0] ?? {}) as object))))).toEqual(before);
      }
      c.after(db);
      db.close();
    });
  }
});
