import { createVerify, generateKeyPairSync } from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import { describe, expect, it } from 'vitest';
import { collectPayment, collectRefund, type PaymentRequest, type RefundRequest } from '../../../src/core/payment';
import { AlipayProvider, type AlipayConfig } from '../../../src/terminal/payments/alipay';
import type { PaymentTrace } from '../../../src/terminal/payments/provider-common';
import { AlipayStub } from '../../support/alipay-stub';
import type { StubScript } from '../../support/payment-stub-ledger';
import { cleanupsAfterEach } from '../../support/wait';

const APP_ID = '2021000122671080';
const CODE = '281234567890123456';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const deps = { now: () => performance.now(), sleep };
const cleanups = cleanupsAfterEach();

function keyPair(): { publicKey: string; privateKey: string } {
  return generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
}
const app = keyPair();

async function stubbed(): Promise<AlipayStub> {
  const stub = await new AlipayStub({ appId: APP_ID, appPublicKey: app.publicKey }).start();
  cleanups.push(() => stub.close());
  return stub;
}

function provider(stub: AlipayStub, over: Partial<AlipayConfig> = {}, traces: PaymentTrace[] = []): AlipayProvider {
  return new AlipayProvider(
    { appId: APP_ID, privateKey: app.privateKey, alipayPublicKey: stub.alipayPublicKey, gateway: stub.gateway, storeId: 'S01', terminalId: 'T1', requestTimeoutMs: 2000, ...over },
    { timeoutMs: 600, pollMs: 20, revokeAttempts: 3, sleep, trace: (t) => traces.push(t) },
  );
}

let n = 0;
const order = (amount = 650): PaymentRequest => ({ orderId: `S01-T1-${++n}`, provider: 'alipay', code: CODE, amount, description: 'S01-T1 sale' });

describe('Alipay RSA2 signing through alipay-sdk, with a key pair made at test time', () => {
  it("the SDK's signature verifies under OpenAPI 2.0's rule: sorted k=v pairs without sign, SHA256withRSA by the app key", () => {
    const sdk = new AlipaySdk({ appId: APP_ID, privateKey: app.privateKey, keyType: 'PKCS8', signType: 'RSA2' });
    const query = sdk.sdkExecute('alipay.trade.pay', { bizContent: { out_trade_no: 'S01-T1-1', scene: 'bar_code', total_amount: '6.50' } });
    const params = Object.fromEntries(new URLSearchParams(query));
    expect(params).toMatchObject({ app_id: APP_ID, method: 'alipay.trade.pay', sign_type: 'RSA2', charset: 'utf-8', version: '1.0' });
    const content = Object.keys(params)
      .filter((k) => k !== 'sign')
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
    expect(content).toContain('biz_content={"out_trade_no":"S01-T1-1","scene":"bar_code","total_amount":"6.50"}');
    expect(createVerify('RSA-SHA256').update(content, 'utf8').verify(app.publicKey, params.sign as string, 'base64')).toBe(true);
    expect(createVerify('RSA-SHA256').update(content, 'utf8').verify(keyPair().publicKey, params.sign as string, 'base64')).toBe(false);
  });

  it('a request signed with another app key is refused by the gateway (40002 isv.invalid-signature): declined for IT staff', async () => {
    const stub = await stubbed();
    const r = await collectPayment(provider(stub, { privateKey: keyPair().privateKey }), order(), deps);
    expect(r).toMatchObject({ kind: 'declined', reason: 'merchant-config', message: expect.stringContaining('isv.invalid-signature') });
    expect(stub.requests.map((x) => x.signatureOk)).toEqual([false]);
    expect(stub.ledger.movements).toEqual([]);
  });

  it("an answer not signed by Alipay's key is not believed: the payment stays unknown, never reported paid", async () => {
    const stub = await stubbed();
    const traces: PaymentTrace[] = [];
    const req = order();
    const r = await collectPayment(provider(stub, { alipayPublicKey: keyPair().publicKey }, traces), req, deps);
    expect(r.kind).toBe('revoke-failed');
    expect(traces.length).toBeGreaterThan(2);
    expect(traces.every((t) => t.outcome.includes('not signed by Alipay'))).toBe(true);
  });

  it('masks the payment code in every trace', async () => {
    const stub = await stubbed();
    const traces: PaymentTrace[] = [];
    await collectPayment(provider(stub, {}, traces), order(), deps);
    expect(traces[0]?.request.auth_code).toBe('2812**********3456');
    expect(JSON.stringify(traces)).not.toContain(CODE);
  });
});

describe('Alipay trade.pay (bar_code) against the protocol stub: exactly one charge or none', () => {
  const cases: Array<[StubScript, string, number]> = [
    ['paid', 'approved', 1],
    ['user-paying-then-paid', 'approved', 1],
    ['user-paying-then-timeout', 'timeout', 0],
    ['system-error-then-paid', 'approved', 1],
    ['declined', 'declined', 0],
    ['drop-after-charge', 'approved', 1],
  ];
  for (const [script, outcome, charged] of cases) {
    it(`${script}: ${outcome}, ${charged ? 'charged once' : 'nothing charged'}`, async () => {
      const stub = await stubbed();
      stub.ledger.next(script);
      const req = order(1999);
      const r = await collectPayment(provider(stub), req, deps);
      expect(r.kind).toBe(outcome);
      expect(stub.ledger.charges(req.orderId)).toHaveLength(charged);
      expect(stub.ledger.net(req.orderId)).toBe(charged * req.amount);
      expect(stub.requests.every((x) => x.signatureOk)).toBe(true);
      if (r.kind === 'approved') expect(r.reference).toMatch(/^2026\d{24}$/);
      if (r.kind === 'declined') expect(r).toMatchObject({ reason: 'balance-insufficient', message: expect.stringContaining('ACQ.BUYER_BALANCE_NOT_ENOUGH') });
    });
  }

  it('sends the documented bar_code fields with the amount as a yuan string', async () => {
    const stub = await stubbed();
    const req = order(1999);
    await collectPayment(provider(stub), req, deps);
    expect(stub.calls('alipay.trade.pay')[0]).toEqual({
      out_trade_no: req.orderId,
      scene: 'bar_code',
      auth_code: CODE,
      product_code: 'FACE_TO_FACE_PAYMENT',
      subject: 'S01-T1 sale',
      total_amount: '19.99',
      store_id: 'S01',
      terminal_id: 'T1',
    });
  });

  it('a cancel answered retry_flag=Y is sent again; a payment that never arrived is cancelled (closed) too', async () => {
    const stub = await stubbed();
    stub.ledger.next('user-paying-then-timeout');
    stub.cancelFailures = 2;
    const req = order();
    expect((await collectPayment(provider(stub), req, deps)).kind).toBe('timeout');
    expect(stub.calls('alipay.trade.cancel')).toHaveLength(3);
    expect(stub.trades.get(req.orderId)?.status).toBe('TRADE_CLOSED');
    const p = provider(stub);
    await p.revoke({ orderId: 'never-sent', provider: 'alipay', amount: 1 });
    expect(stub.trades.get('never-sent')?.status).toBe('TRADE_CLOSED');
    // a gateway that answers ACQ.TRADE_NOT_EXIST instead: nothing to cancel, done
    stub.unknownCancel = 'not-exist';
    await expect(p.revoke({ orderId: 'never-sent-2', provider: 'alipay', amount: 1 })).resolves.toBeUndefined();
    expect(stub.calls('alipay.trade.cancel').at(-1)).toEqual({ out_trade_no: 'never-sent-2' });
  });

  it('nothing is sent when Alipay cannot be reached: declined at once as unreachable', async () => {
    const stub = await stubbed();
    const gateway = stub.gateway;
    await stub.close();
    expect(await collectPayment(provider(stub, { gateway }), order(), deps)).toMatchObject({ kind: 'declined', reason: 'provider-unreachable' });
  });
});

describe('Alipay trade.refund: full, partial, idempotent by out_request_no', () => {
  async function paidOrder(stub: AlipayStub, amount = 1000) {
    const p = provider(stub);
    const req = order(amount);
    expect((await collectPayment(p, req, deps)).kind).toBe('approved');
    const refund = (refundId: string, amt: number): RefundRequest => ({ refundId, orderId: req.orderId, provider: 'alipay', amount: amt, total: amount, reason: '顾客退货' });
    return { p, req, refund };
  }

  it('two partial refunds, then one too many', async () => {
    const stub = await stubbed();
    const { p, req, refund } = await paidOrder(stub);
    expect(await collectRefund(p, refund('R1', 250), deps)).toMatchObject({ kind: 'refunded', settled: true });
    expect(await collectRefund(p, refund('R2', 750), deps)).toMatchObject({ kind: 'refunded' });
    expect(await collectRefund(p, refund('R3', 1), deps)).toMatchObject({ kind: 'declined', reason: 'refund-exceeds' });
    expect(stub.ledger.net(req.orderId)).toBe(0);
    expect(stub.calls('alipay.trade.refund')[0]).toEqual({ out_trade_no: req.orderId, out_request_no: 'R1', refund_amount: '2.50', refund_reason: '顾客退货' });
  });

  for (const script of ['system-error-after-refund', 'drop-after-refund'] as const) {
    it(`${script}: asked again with the same out_request_no (the SDK's own resend, or the refund query), paid back once`, async () => {
      const stub = await stubbed();
      const { p, req, refund } = await paidOrder(stub);
      stub.ledger.nextRefund(script);
      expect(await collectRefund(p, refund('R1', 400), deps)).toMatchObject({ kind: 'refunded' });
      expect(stub.ledger.paidBack(req.orderId)).toBe(400);
      const asked = [...stub.calls('alipay.trade.refund'), ...stub.calls('alipay.trade.fastpay.refund.query')];
      expect(asked.length).toBeGreaterThan(1);
      expect(asked.every((b) => b.out_request_no === 'R1')).toBe(true);
    });
  }

  it('asking again with the same out_request_no never pays twice', async () => {
    const stub = await stubbed();
    const { p, req, refund } = await paidOrder(stub);
    expect((await collectRefund(p, refund('R1', 400), deps)).kind).toBe('refunded');
    expect((await collectRefund(p, refund('R1', 400), deps)).kind).toBe('refunded');
    expect(stub.ledger.paidBack(req.orderId)).toBe(400);
  });
});
