/**
 * The persisted open carts: one row per cart, replaced on every change, so a
 * crash restores what the cashier had scanned. Not journaled: a cart becomes
 * history only when its sale (or hold, or void) is appended.
 *
 * Durability: the carts live in their own file, carts.db, ATTACHed to the
 * ledger's connection as schema `carts`, in WAL mode with synchronous=NORMAL,
 * while ledger.db stays at FULL. An open cart is not a committed sale, so a
 * scan does not pay an fsync: a saved cart survives a crash or kill of the
 * process at once (its WAL frames are in the OS cache), and survives a power
 * cut from the next WAL checkpoint on; a power cut may take back the last
 * few scans, which the cashier scans again. The sale commit clears its cart
 * in the same SQLite transaction; SQLite commits a multi-file WAL transaction
 * file by file, ledger.db (the main schema) first and durably, so the worst a
 * power cut between the two can leave is a cart whose sale is already
 * committed. dropFinishedCarts() removes such carts when a terminal opens.
 */
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../shared/canonical-json';
import { TillError } from '../shared/errors';
import { makePrivateFile } from './files';
import type { OpenCart, OpenCartStore, SqliteDb } from './types';

export const CARTS_FILE = 'carts.db';

interface CartRow {
  cartId: string;
  state: string;
  updatedAt: string;
}

const toCart = (r: CartRow): OpenCart => ({ cartId: r.cartId, state: JSON.parse(r.state) as unknown, updatedAt: r.updatedAt });

/**
 * Attaches `dir`/carts.db as schema `carts`: created when missing for the
 * writer; for a read-only open only when it exists. Returns whether the
 * carts are there to read.
 */
export function attachCarts(db: SqliteDb, dir: string, readonly: boolean): boolean {
  const file = path.join(dir, CARTS_FILE);
  if (readonly) {
    if (!fs.existsSync(file)) return false;
    db.prepare('ATTACH DATABASE ? AS carts').run(file);
    return db.prepare("SELECT 1 FROM carts.sqlite_master WHERE name = 'open_carts'").get() !== undefined;
  }
  makePrivateFile(file);
  db.prepare('ATTACH DATABASE ? AS carts').run(file);
  const mode = db.pragma('carts.journal_mode = WAL', { simple: true });
  if (mode !== 'wal') throw new TillError('ledger-io', `${file} cannot use write-ahead logging (journal_mode stays '${String(mode)}'); put the data directory on a local disk`);
  db.pragma('carts.synchronous = NORMAL');
  db.exec('CREATE TABLE IF NOT EXISTS carts.open_carts (cart_id TEXT PRIMARY KEY, state TEXT NOT NULL, updated_at TEXT NOT NULL) STRICT');
  return true;
}

/** The store over the attached `carts` schema; `attached` false gives an empty store that refuses changes. */
export function createCartStore(
  db: SqliteDb,
  attached: boolean,
  deps: { clock: () => Date; guard: () => void; run: <T>(fn: () => T) => T },
): OpenCartStore {
  if (!attached) {
    const refuse = () => {
      deps.guard();
      throw new TillError('internal', 'this ledger has no open-cart store attached');
    };
    return { save: refuse, load: () => null, list: () => [], clear: refuse };
  }
  const save = db.prepare('INSERT INTO carts.open_carts (cart_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (cart_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at');
  const load = db.prepare('SELECT cart_id AS cartId, state, updated_at AS updatedAt FROM carts.open_carts WHERE cart_id = ?');
  const list = db.prepare('SELECT cart_id AS cartId, state, updated_at AS updatedAt FROM carts.open_carts ORDER BY updated_at, cart_id');
  const clear = db.prepare('DELETE FROM carts.open_carts WHERE cart_id = ?');
  // one statement is atomic by itself: inside an open transaction it needs no savepoint of its own
  const inTx = <T>(fn: () => T): T => (db.inTransaction ? fn() : deps.run(fn));
  const checkId = (cartId: string) => {
    if (typeof cartId !== 'string' || cartId.length < 1 || cartId.length > 64) throw new TillError('bad-input', `a cart id must be 1 to 64 characters (got '${String(cartId)}')`);
  };
  return {
    save(cartId, state) {
      deps.guard();
      checkId(cartId);
      let text: string;
      try {
        text = canonicalJson(state);
      } catch (e) {
        throw new TillError('bad-input', `cart ${cartId} cannot be saved: ${e instanceof Error ? e.message : String(e)}`);
      }
      inTx(() => save.run(cartId, text, deps.clock().toISOString()));
    },
    load(cartId) {
      const row = load.get(cartId) as CartRow | undefined;
      return row ? toCart(row) : null;
    },
    list() {
      return (list.all() as CartRow[]).map(toCart);
    },
    clear(cartId) {
      deps.guard();
      inTx(() => clear.run(cartId));
    },
  };
}
