import { afterEach, describe, expect, it } from 'vitest';
import type { CartView } from '../../src/shared/contract/cart';
import type { TenderResult } from '../../src/shared/contract/tender';
import type { OrderRef } from '../../src/core/payment';
import { SandboxPaymentProvider } from '../../src/terminal';
import { openFixture, P, type Fixture } from './fixture';

/** a sandbox whose revoke fails while `revokeDown` is set (the provider unreachable) */
class FlakySandbox extends SandboxPaymentProvider {
  revokeDown = true;
  override async revoke(order: OrderRef): Promise<void> {
    if (this.revokeDown) throw new Error('provider unreachable');
    return super.revoke(order);
  }
}

let f: Fixture;
afterEach(() => f.close());

describe('the payment-code closed loop', () => {
  it('keeps an unconfirmed payment that could not be revoked, and settles it after a restart', async () => {
    const payments = new FlakySandbox({ timeoutMs: 150, pollMs: 20 });
    f = await openFixture({ payments });
    await f.ok('cart.scan', { code: P.riceball.barcodes[0] });
    const r = await f.call('tender.paymentCode', { code: '134567890123456789' });
    expect(r).toMatchObject({ ok: false, error: { code: 'payment-timeout', message: expect.stringMatching(/could not be cancelled/) } });
    const order = [...payments.orders.values()][0];
    expect(order?.state).toBe('pending');
    expect(f.t.ledger.carts.list()[0]?.state).toMatchObject({ pendingPayment: { orderId: order?.req.orderId, amount: 650 } });

    // the till restarts; meanwhile the customer's phone confirmed the payment after all
    await f.reopen({ paymentProvider: payments });
    if (order) order.state = 'approved';
    const cash = await f.ok<TenderResult>('tender.cash', { tendered: 100 });
    // the confirmed payment was found and kept: it paid the whole sale, which is committed; the cash was not taken
    expect(cash.completed).toMatchObject({ total: 650, change: 0 });
    const tenders = f.t.ledger.db.prepare('SELECT kind, amount, reference FROM sale_tenders').all();
    expect(tenders).toEqual([{ kind: 'payment-code', amount: 650, reference: order?.req.orderId }]);
  });

  it('revokes an unconfirmed payment it finds after a restart instead of keeping it', async () => {
    const payments = new FlakySandbox({ timeoutMs: 150, pollMs: 20 });
    f = await openFixture({ payments });
    await f.ok('cart.scan', { code: P.riceball.barcodes[0] });
    await f.call('tender.paymentCode', { code: '134567890123456789' });
    payments.revokeDown = false;
    await f.reopen({ paymentProvider: payments });
    const r = await f.ok<TenderResult>('tender.cash', { tendered: 1000 });
    expect(r.completed).toMatchObject({ total: 650, change: 350 });
    expect([...payments.orders.values()][0]?.state).toBe('revoked');
  });

  it('a slow customer (password) is approved by polling', async () => {
    const payments = new SandboxPaymentProvider({ timeoutMs: 2000, pollMs: 10 });
    f = await openFixture({ payments });
    await f.ok('cart.scan', { code: P.water.barcodes[0] });
    const r = await f.ok<TenderResult>('tender.paymentCode', { code: '281234567890123457' });
    expect(r.completed).toMatchObject({ total: 200 });
    expect([...payments.orders.values()][0]?.queries).toBe(2);
    expect((await f.ok<CartView>('cart.get', {})).lines).toEqual([]);
  });
});
