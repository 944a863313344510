/**
 * The persisted open carts: one row per cart, replaced on every change, so a
 * crash or power cut restores what the cashier had scanned. Not journaled;
 * the selling code clears a cart in the same transaction as its sale entry.
 */
import { canonicalJson } from '../shared/canonical-json';
import { TillError } from '../shared/errors';
import type { OpenCart, OpenCartStore, SqliteDb } from './types';

interface CartRow {
  cartId: string;
  state: string;
  updatedAt: string;
}

const toCart = (r: CartRow): OpenCart => ({ cartId: r.cartId, state: JSON.parse(r.state) as unknown, updatedAt: r.updatedAt });

export function createCartStore(
  db: SqliteDb,
  deps: { clock: () => Date; guard: () => void; run: <T>(fn: () => T) => T },
): OpenCartStore {
  const save = db.prepare('INSERT INTO open_carts (cart_id, state, updated_at) VALUES (?, ?, ?) ON CONFLICT (cart_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at');
  const load = db.prepare('SELECT cart_id AS cartId, state, updated_at AS updatedAt FROM open_carts WHERE cart_id = ?');
  const list = db.prepare('SELECT cart_id AS cartId, state, updated_at AS updatedAt FROM open_carts ORDER BY updated_at, cart_id');
  const clear = db.prepare('DELETE FROM open_carts WHERE cart_id = ?');
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
      deps.run(() => save.run(cartId, text, deps.clock().toISOString()));
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
      deps.run(() => clear.run(cartId));
    },
  };
}
