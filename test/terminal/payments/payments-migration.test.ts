/**
 * Migration 0060 (payment orders and refunds) on a ledger from before it,
 * with a cart left waiting for a payment-code answer by the earlier code
 * (its order id a ULID, never journaled): the upgraded till asks the
 * provider about it, keeps the payment, completes the sale and journals the
 * order, which gets its row in payment_orders.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { addItem, newCart } from '../../../src/core/cart';
import { DEFAULT_MIGRATIONS_DIR, openLedger } from '../../../src/ledger/index';
import { createTerminal, importCatalog, saveUser, SandboxPaymentProvider } from '../../../src/terminal/index';
import { registerCatalogProjectors } from '../../../src/terminal/projections/catalog';
import { P, PROMOS, SETTINGS, USERS } from '../fixture';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

it('upgrades a ledger with a cart waiting on a payment code, and settles that payment', async () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'till-mig60-'));
  const older = fs.mkdtempSync(path.join(os.tmpdir(), 'till-mig60-sql-'));
  dirs.push(data, older);
  for (const f of fs.readdirSync(DEFAULT_MIGRATIONS_DIR)) if (f.endsWith('.sql') && f < '0060') fs.copyFileSync(path.join(DEFAULT_MIGRATIONS_DIR, f), path.join(older, f));
  const before = openLedger(data, { create: { store: 'S01', terminal: 'T1' }, migrationsDir: older });
  registerCatalogProjectors(before);
  importCatalog(before, Object.values(P), { promotions: PROMOS, settings: SETTINGS, members: [] });
  saveUser(before, USERS.cashier);
  const cart = newCart('01JCARTBEFORE0060AAAAAAAAA', '2026-06-01T04:00:00.000Z', { code: USERS.cashier.code, name: USERS.cashier.name });
  addItem(cart, { product: P.water, barcode: P.water.barcodes[0] as string });
  cart.pendingPayment = { orderId: '01JORDERBEFORE0060AAAAAAAA', provider: 'wechat', amount: 200 };
  before.carts.save(cart.cartId, cart);
  expect(before.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'payment_orders'").pluck().get()).toBe(0);
  before.close();

  // the customer's payment went through while the old till was down
  const payments = new SandboxPaymentProvider();
  await payments.pay({ orderId: '01JORDERBEFORE0060AAAAAAAA', provider: 'wechat', code: '134567890123456780', amount: 200, description: 'old' });
  const t = createTerminal({ dataDir: data, log: () => undefined, paymentProvider: payments });
  try {
    const r = await t.recoverPayments();
    expect(r.payments.settled).toEqual([{ orderNo: '01JORDERBEFORE0060AAAAAAAA', outcome: 'approved', sale: expect.stringMatching(/^S01-T1-/) }]);
    expect(t.ledger.db.prepare('SELECT order_no AS orderNo, state, amount FROM payment_orders').all()).toEqual([{ orderNo: '01JORDERBEFORE0060AAAAAAAA', state: 'approved', amount: 200 }]);
    expect(t.ledger.db.prepare('SELECT kind, amount, reference FROM sale_tenders').all()).toEqual([{ kind: 'payment-code', amount: 200, reference: '01JORDERBEFORE0060AAAAAAAA' }]);
    expect(t.ledger.carts.list()).toEqual([]);
  } finally {
    t.close();
  }
});
