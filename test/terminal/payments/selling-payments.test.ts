/**
 * Payment codes through a whole terminal against the protocol stubs: the
 * order is journaled before it is sent (its number derives from that entry),
 * the outcome is journaled with the cart or the sale, declines carry the
 * reason the cashier sees, and refunds (full, partial, retried) go to the
 * original payment through the provider, each paid back exactly once.
 */
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { RefundResult } from '../../../src/shared/contract/refund';
import type { TenderResult } from '../../../src/shared/contract/tender';
import { AlipayProvider, orderNumber, RoutedPayments, WechatPayProvider, type PaymentProvider } from '../../../src/terminal';
import { AlipayStub } from '../../support/alipay-stub';
import { cleanupsAfterEach } from '../../support/wait';
import { WechatPayStub } from '../../support/wechat-pay-stub';
import { openFixture, P, type Fixture } from '../fixture';

const MERCHANT = { appId: 'wx8888888888888888', mchId: '1900000109', apiKey: '192006250b4c09247ec02edce69f6a2d' };
const ALIPAY_APP = '2021000122671080';
const WECHAT_CODE = '134567890123456789';
const ALIPAY_CODE = '281234567890123456';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const app = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const cleanups = cleanupsAfterEach();

let f: Fixture | null = null;
afterEach(() => {
  f?.close();
  f = null;
});

interface World {
  f: Fixture;
  wechat: WechatPayStub;
  alipay: AlipayStub;
  provider: PaymentProvider;
}

async function world(timeoutMs = 600): Promise<World> {
  const wechat = await new WechatPayStub(MERCHANT).start();
  const alipay = await new AlipayStub({ appId: ALIPAY_APP, appPublicKey: app.publicKey }).start();
  cleanups.push(() => wechat.close(), () => alipay.close());
  const loop = { timeoutMs, pollMs: 20, revokeAttempts: 2, sleep };
  const provider = new RoutedPayments(
    {
      wechat: new WechatPayProvider({ ...MERCHANT, signType: 'HMAC-SHA256', baseUrl: wechat.url, clientCert: null, clientIp: '127.0.0.1', deviceInfo: 'T1', requestTimeoutMs: 1000 }, loop),
      alipay: new AlipayProvider({ appId: ALIPAY_APP, privateKey: app.privateKey, alipayPublicKey: alipay.alipayPublicKey, gateway: alipay.gateway, requestTimeoutMs: 1000 }, loop),
    },
    timeoutMs,
    20,
  );
  f = await openFixture({ provider });
  return { f, wechat, alipay, provider };
}

const journal = (w: World, ...types: string[]) =>
  w.f.t.ledger.db
    .prepare(`SELECT type, payload FROM journal WHERE type IN (${types.map(() => '?').join(', ')}) ORDER BY seq`)
    .all(...types)
    .map((r): Record<string, unknown> => {
      const row = r as { type: string; payload: string };
      return { type: row.type, ...(JSON.parse(row.payload) as Record<string, unknown>) };
    });

describe('a payment-code sale against the provider stubs', () => {
  it('journals the order before sending it, under a number derived from that entry; the sale carries it as the tender', async () => {
    const w = await world();
    await w.f.ok('cart.scan', { code: P.riceball.barcodes[0] });
    const r = await w.f.ok<TenderResult>('tender.paymentCode', { code: WECHAT_CODE });
    expect(r.completed).toMatchObject({ total: 650 });
    const started = w.f.t.ledger.db.prepare("SELECT seq, payload FROM journal WHERE type = 'PaymentStarted'").get() as { seq: number; payload: string };
    const orderNo = orderNumber(w.f.t.ledger.identity, started.seq);
    expect(JSON.parse(started.payload)).toMatchObject({ orderNo, provider: 'wechat', amount: 650 });
    expect(w.wechat.calls('/pay/micropay')).toEqual([expect.objectContaining({ out_trade_no: orderNo, total_fee: '650' })]);
    expect(journal(w, 'PaymentSettled')).toEqual([expect.objectContaining({ orderNo, outcome: 'approved', reference: expect.stringMatching(/^4200/), by: 'sale' })]);
    expect(w.f.t.ledger.db.prepare('SELECT kind, amount, reference, provider FROM sale_tenders').all()).toEqual([{ kind: 'payment-code', amount: 650, reference: orderNo, provider: 'wechat' }]);
    expect(w.wechat.ledger.net()).toBe(650);
    // the payment code is a one-time credential: never journaled
    expect(JSON.stringify(w.f.t.ledger.entries(1, 1000))).not.toContain(WECHAT_CODE);
  });

  it('a decline reaches the cashier with its reason and leaves the cart as it was, nothing charged', async () => {
    const w = await world();
    await w.f.ok('cart.scan', { code: P.water.barcodes[0] });
    w.alipay.ledger.next('declined');
    const r = await w.f.call('tender.paymentCode', { code: ALIPAY_CODE });
    expect(r).toMatchObject({ ok: false, error: { code: 'payment-declined', details: { reason: 'balance-insufficient' } } });
    expect(journal(w, 'PaymentSettled')).toEqual([expect.objectContaining({ outcome: 'declined', reason: 'balance-insufficient' })]);
    const cart = await w.f.ok<{ totals: { remaining: number }; tenders: unknown[] }>('cart.get', {});
    expect(cart).toMatchObject({ totals: { remaining: 200 }, tenders: [] });
    expect(w.alipay.ledger.movements).toEqual([]);
  });

  it('a customer who never confirms: revoked at the deadline and journaled so, nothing charged', async () => {
    const w = await world(300);
    await w.f.ok('cart.scan', { code: P.water.barcodes[0] });
    w.wechat.ledger.next('user-paying-then-timeout');
    expect(await w.f.call('tender.paymentCode', { code: WECHAT_CODE })).toMatchObject({ ok: false, error: { code: 'payment-timeout' } });
    expect(journal(w, 'PaymentSettled')).toEqual([expect.objectContaining({ outcome: 'revoked' })]);
    expect(w.wechat.ledger.net()).toBe(0);
  });

  it('a UnionPay code (no provider set up) is refused before anything is journaled or sent', async () => {
    const w = await world();
    await w.f.ok('cart.scan', { code: P.water.barcodes[0] });
    const head = w.f.t.ledger.head();
    expect(await w.f.call('tender.paymentCode', { code: '6223456789012345678' })).toMatchObject({ ok: false, error: { code: 'payment-declined', details: { reason: 'provider-not-configured' } } });
    expect(w.f.t.ledger.head()).toEqual(head);
  });

  it('an order the till could not cancel stays open, and the reopened till settles it (journaled as recovery)', async () => {
    const w = await world(300);
    await w.f.ok('cart.scan', { code: P.water.barcodes[0] });
    w.wechat.ledger.next('user-paying-then-timeout');
    w.wechat.reverseFailures = 2;
    expect(await w.f.call('tender.paymentCode', { code: WECHAT_CODE })).toMatchObject({ ok: false, error: { code: 'payment-timeout', message: expect.stringMatching(/could not be cancelled/) } });
    expect(w.f.t.ledger.db.prepare("SELECT state FROM payment_orders").pluck().all()).toEqual(['open']);
    await w.f.reopen({ paymentProvider: w.provider });
    const report = await w.f.t.recoverPayments();
    expect(report.payments).toMatchObject({ settled: [{ outcome: 'revoked' }], open: [] });
    expect(journal(w, 'PaymentSettled')).toEqual([expect.objectContaining({ outcome: 'revoked', by: 'recovery' })]);
    expect(w.wechat.ledger.net()).toBe(0);
    expect((await w.f.ok<{ pendingPayment?: unknown; tenders: unknown[] }>('cart.get', {})).tenders).toEqual([]);
  });

  it('a void after a payment-code payment reverses it and journals the reversal', async () => {
    const w = await world();
    await w.f.ok('cart.scan', { code: P.riceball.barcodes[0] });
    await w.f.ok('cart.scan', { code: P.water.barcodes[0] });
    await w.f.ok('tender.paymentCode', { code: ALIPAY_CODE, amount: 300 });
    const r = await w.f.call('sale.void', { reason: '顾客取消' }, 'supervisor');
    expect(r.ok, JSON.stringify(r)).toBe(true);
    expect(w.alipay.ledger.net()).toBe(0);
    expect(journal(w, 'PaymentSettled').map((e) => e.outcome)).toEqual(['approved', 'revoked']);
  });
});

describe('refunds of payment-code sales through the provider', () => {
  async function sold(w: World, code = WECHAT_CODE): Promise<string> {
    await w.f.ok('cart.scan', { code: P.water.barcodes[0] });
    await w.f.ok('cart.scan', { code: P.riceball.barcodes[0] });
    const r = await w.f.ok<TenderResult>('tender.paymentCode', { code });
    return r.completed?.receiptNo as string;
  }

  it('partial, then the rest: two provider refunds of the one payment, each journaled before it is sent', async () => {
    const w = await world();
    const no = await sold(w);
    const a = await w.f.ok<RefundResult>('refund.receipt', { code: no, lines: [{ lineNo: 1 }], reason: '退货' }, 'supervisor');
    expect(a).toMatchObject({ amount: 200, tenders: [{ kind: 'payment-code', provider: 'wechat', amount: 200 }] });
    const b = await w.f.ok<RefundResult>('refund.receipt', { code: no, lines: [{ lineNo: 2 }], reason: '退货' }, 'supervisor');
    expect(b.amount).toBe(650);
    const refunds = w.wechat.calls('/secapi/pay/refund');
    expect(refunds.map((x) => [x.refund_fee, x.total_fee])).toEqual([
      ['200', '850'],
      ['650', '850'],
    ]);
    expect(new Set(refunds.map((x) => x.out_refund_no)).size).toBe(2);
    expect(w.wechat.ledger.net()).toBe(0);
    expect(journal(w, 'PaymentRefundStarted', 'PaymentRefundSettled', 'RefundCompleted').map((e) => e.type)).toEqual([
      'PaymentRefundStarted',
      'PaymentRefundSettled',
      'RefundCompleted',
      'PaymentRefundStarted',
      'PaymentRefundSettled',
      'RefundCompleted',
    ]);
  });

  it('a refund whose answer never came stays open; the retried return finishes it with the same number and pays back once', async () => {
    const w = await world(300);
    const no = await sold(w, ALIPAY_CODE);
    // the gateway takes the refund, then answers nothing at all (not even the refund query) until it is back
    w.alipay.ledger.nextRefund('drop-after-refund');
    w.alipay.ledger.onRecord = (m) => {
      if (m.kind === 'refund') w.alipay.down = true;
    };
    const first = await w.f.call('refund.receipt', { code: no, lines: [{ lineNo: 1 }], reason: '退货' }, 'supervisor');
    expect(first).toMatchObject({ ok: false, error: { code: 'payment-timeout', message: expect.stringMatching(/never paid twice/) } });
    expect(w.f.t.ledger.db.prepare('SELECT count(*) FROM refunds').pluck().get()).toBe(0);
    expect(w.alipay.ledger.movements.filter((m) => m.kind === 'refund')).toHaveLength(1);
    w.alipay.down = false;
    const again = await w.f.ok<RefundResult>('refund.receipt', { code: no, lines: [{ lineNo: 1 }], reason: '退货' }, 'supervisor');
    expect(again).toMatchObject({ amount: 200, tenders: [{ kind: 'payment-code', amount: 200 }] });
    const asked = w.alipay.calls('alipay.trade.refund').map((x) => x.out_request_no);
    expect(new Set(asked).size).toBe(1);
    expect(w.alipay.ledger.movements.filter((m) => m.kind === 'refund')).toHaveLength(1);
    expect(w.f.t.ledger.db.prepare('SELECT count(*) FROM refunds').pluck().get()).toBe(1);
  });

  it('a refund the provider refuses is journaled as declined and nothing is paid back', async () => {
    const w = await world();
    const no = await sold(w);
    const orderNo = w.wechat.calls('/pay/micropay')[0]?.out_trade_no as string;
    // WeChat Pay reversed the whole payment already (say, from its merchant console)
    await w.provider.revoke({ orderId: orderNo, provider: 'wechat', amount: 850 });
    const r = await w.f.call('refund.receipt', { code: no, lines: [{ lineNo: 1 }], reason: '退货' }, 'supervisor');
    expect(r).toMatchObject({ ok: false, error: { code: 'payment-declined' } });
    expect(journal(w, 'PaymentRefundSettled')).toEqual([expect.objectContaining({ outcome: 'declined' })]);
    expect(w.f.t.ledger.db.prepare('SELECT count(*) FROM refunds').pluck().get()).toBe(0);
  });
});
