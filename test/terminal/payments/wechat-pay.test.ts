import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPayment, collectRefund, type PaymentRequest, type RefundRequest } from '../../../src/core/payment';
import type { PaymentTrace } from '../../../src/terminal/payments/provider-common';
import { WechatPayProvider, type WechatPayConfig } from '../../../src/terminal/payments/wechat-pay';
import { toWechatXml, wechatSign } from '../../../src/terminal/payments/wechat-sign';
import type { StubScript } from '../../support/payment-stub-ledger';
import { makeTestCerts, type TestCerts } from '../../support/test-certs';
import { cleanupsAfterEach } from '../../support/wait';
import { WechatPayStub } from '../../support/wechat-pay-stub';

const MERCHANT = { appId: 'wx8888888888888888', mchId: '1900000109', apiKey: '192006250b4c09247ec02edce69f6a2d' };
const CODE = '134567890123456789';
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const deps = { now: () => performance.now(), sleep };
const cleanups = cleanupsAfterEach();

async function stubbed(opts: Partial<ConstructorParameters<typeof WechatPayStub>[0]> = {}): Promise<WechatPayStub> {
  const stub = await new WechatPayStub({ ...MERCHANT, ...opts }).start();
  cleanups.push(() => stub.close());
  return stub;
}

function provider(stub: WechatPayStub, over: Partial<WechatPayConfig> = {}, traces: PaymentTrace[] = []): WechatPayProvider {
  return new WechatPayProvider(
    { ...MERCHANT, signType: 'HMAC-SHA256', baseUrl: stub.url, clientCert: null, clientIp: '127.0.0.1', deviceInfo: 'T1', requestTimeoutMs: 2000, ...over },
    { timeoutMs: 600, pollMs: 20, revokeAttempts: 3, sleep, trace: (t) => traces.push(t) },
  );
}

let n = 0;
const order = (amount = 650): PaymentRequest => ({ orderId: `S01-T1-${++n}`, provider: 'wechat', code: CODE, amount, description: 'S01-T1 sale' });

describe('WeChat Pay micropay against the protocol stub: exactly one charge or none', () => {
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
      const req = order();
      const r = await collectPayment(provider(stub), req, deps);
      expect(r.kind).toBe(outcome);
      expect(stub.ledger.charges(req.orderId)).toHaveLength(charged);
      expect(stub.ledger.net(req.orderId)).toBe(charged * req.amount);
      expect(stub.requests.every((x) => x.signatureOk)).toBe(true);
      if (r.kind === 'approved') expect(r.reference).toMatch(/^4200\d{24}$/);
      if (r.kind === 'declined') expect(r).toMatchObject({ reason: 'balance-insufficient', message: expect.stringContaining('NOTENOUGH') });
    });
  }

  it('a customer who never confirms is reversed after the deadline, and the order can never be paid later', async () => {
    const stub = await stubbed();
    stub.ledger.next('user-paying-then-timeout');
    const req = order();
    expect((await collectPayment(provider(stub), req, deps)).kind).toBe('timeout');
    expect(stub.calls('/secapi/pay/reverse')).toEqual([expect.objectContaining({ out_trade_no: req.orderId })]);
    expect(stub.orders.get(req.orderId)?.state).toBe('REVOKED');
    expect(stub.calls('/pay/orderquery').length).toBeGreaterThan(1);
  });

  it('sends the documented micropay fields, amounts in fen, signed MD5 when configured so', async () => {
    const stub = await stubbed();
    const req = order(1234);
    expect((await collectPayment(provider(stub, { signType: 'MD5' }), req, deps)).kind).toBe('approved');
    const [sent] = stub.calls('/pay/micropay');
    expect(sent).toMatchObject({ appid: MERCHANT.appId, mch_id: MERCHANT.mchId, out_trade_no: req.orderId, total_fee: '1234', fee_type: 'CNY', auth_code: CODE, spbill_create_ip: '127.0.0.1', device_info: 'T1', body: 'S01-T1 sale' });
    expect(sent?.sign_type).toBeUndefined();
    expect(sent?.sign).toMatch(/^[0-9A-F]{32}$/);
  });

  it('a wrong API key is refused by the gateway as the real one does: declined for IT staff, nothing charged', async () => {
    const stub = await stubbed();
    const req = order();
    const r = await collectPayment(provider(stub, { apiKey: 'x'.repeat(32) }), req, deps);
    expect(r).toMatchObject({ kind: 'declined', reason: 'merchant-config' });
    expect(stub.requests).toHaveLength(1);
    expect(stub.requests[0]?.signatureOk).toBe(false);
    expect(stub.ledger.movements).toEqual([]);
  });

  it('an answer not signed with the merchant key is not believed: the payment stays unknown and is never reported paid', async () => {
    // someone in the middle answers every call "paid", signed with a key that is not the merchant's
    const req = order();
    const server = http.createServer((_q, res) => {
      const fields = { return_code: 'SUCCESS', return_msg: 'OK', appid: MERCHANT.appId, mch_id: MERCHANT.mchId, nonce_str: 'N', result_code: 'SUCCESS', trade_state: 'SUCCESS', recall: 'N', out_trade_no: req.orderId, total_fee: String(req.amount), transaction_id: '4200000000000000000000000001' };
      res.end(toWechatXml({ ...fields, sign: wechatSign(fields, 'f'.repeat(32), 'HMAC-SHA256') }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const traces: PaymentTrace[] = [];
    const stub = await stubbed();
    const forged = provider(stub, { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, traces);
    const r = await collectPayment(forged, req, deps);
    expect(r.kind).toBe('revoke-failed');
    expect(traces.map((t) => t.api)).toContain('/secapi/pay/reverse');
    expect(traces.every((t) => t.outcome.includes('not signed with this merchant key'))).toBe(true);
  });

  it('a correctly signed "paid" for another amount is not this payment: never kept, reversed at the deadline', async () => {
    const req = order(650);
    const paths: string[] = [];
    const server = http.createServer((q, res) => {
      paths.push(q.url ?? '');
      const fields = { return_code: 'SUCCESS', return_msg: 'OK', appid: MERCHANT.appId, mch_id: MERCHANT.mchId, nonce_str: 'N', result_code: 'SUCCESS', trade_state: 'SUCCESS', recall: 'N', out_trade_no: req.orderId, total_fee: '1', transaction_id: '4200000000000000000000000009' };
      res.end(toWechatXml({ ...fields, sign: wechatSign(fields, MERCHANT.apiKey, 'HMAC-SHA256') }));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const stub = await stubbed();
    const r = await collectPayment(provider(stub, { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }), req, deps);
    expect(r.kind).toBe('timeout');
    expect(paths[0]).toBe('/pay/micropay');
    expect(paths.at(-1)).toBe('/secapi/pay/reverse');
  });

  it('nothing is sent when WeChat Pay cannot be reached: declined at once as unreachable', async () => {
    const stub = await stubbed();
    const url = stub.url;
    await stub.close();
    const r = await collectPayment(provider(stub, { baseUrl: url }), order(), deps);
    expect(r).toMatchObject({ kind: 'declined', reason: 'provider-unreachable' });
  });

  it('a reverse answered recall=Y is sent again until it goes through', async () => {
    const stub = await stubbed();
    stub.ledger.next('user-paying-then-timeout');
    stub.reverseFailures = 2;
    const req = order();
    expect((await collectPayment(provider(stub), req, deps)).kind).toBe('timeout');
    expect(stub.calls('/secapi/pay/reverse')).toHaveLength(3);
    expect(stub.orders.get(req.orderId)?.state).toBe('REVOKED');
  });

  it('a reverse that keeps failing is reported, not assumed', async () => {
    const stub = await stubbed();
    stub.ledger.next('user-paying-then-timeout');
    stub.reverseFailures = 5;
    const r = await collectPayment(provider(stub), order(), deps);
    expect(r).toMatchObject({ kind: 'revoke-failed', message: expect.stringMatching(/after 3 tries/) });
  });
});

describe('WeChat Pay refunds: full, partial, idempotent by out_refund_no', () => {
  async function paidOrder(stub: WechatPayStub, amount = 1000) {
    const p = provider(stub);
    const req = order(amount);
    expect((await collectPayment(p, req, deps)).kind).toBe('approved');
    const refund = (refundId: string, amt: number): RefundRequest => ({ refundId, orderId: req.orderId, provider: 'wechat', amount: amt, total: amount, reason: '顾客退货' });
    return { p, req, refund };
  }

  it('two partial refunds and then one too many', async () => {
    const stub = await stubbed();
    const { p, req, refund } = await paidOrder(stub);
    expect(await collectRefund(p, refund('R1', 300), deps)).toMatchObject({ kind: 'refunded', reference: expect.stringMatching(/^5030/) });
    expect(await collectRefund(p, refund('R2', 700), deps)).toMatchObject({ kind: 'refunded' });
    expect(await collectRefund(p, refund('R3', 1), deps)).toMatchObject({ kind: 'declined', reason: 'provider-error' });
    expect(stub.ledger.net(req.orderId)).toBe(0);
    expect(stub.calls('/secapi/pay/refund')[0]).toMatchObject({ out_trade_no: req.orderId, out_refund_no: 'R1', total_fee: '1000', refund_fee: '300', refund_fee_type: 'CNY' });
  });

  it('a refund larger than the payment is refused by the gateway (invalid refund_fee)', async () => {
    const stub = await stubbed();
    const { p, refund } = await paidOrder(stub);
    expect(await collectRefund(p, refund('R1', 1001), deps)).toMatchObject({ kind: 'declined', reason: 'refund-exceeds' });
    expect(stub.ledger.movements.filter((m) => m.kind !== 'charge')).toEqual([]);
  });

  for (const script of ['system-error-after-refund', 'drop-after-refund'] as const) {
    it(`${script}: the refund query finds it, and it was paid back once`, async () => {
      const stub = await stubbed();
      const { p, req, refund } = await paidOrder(stub);
      stub.ledger.nextRefund(script);
      expect(await collectRefund(p, refund('R1', 400), deps)).toMatchObject({ kind: 'refunded', settled: true });
      expect(stub.ledger.paidBack(req.orderId)).toBe(400);
    });
  }

  it('asking again with the same refund number never pays twice; another amount with it is refused', async () => {
    const stub = await stubbed();
    const { p, req, refund } = await paidOrder(stub);
    expect((await collectRefund(p, refund('R1', 400), deps)).kind).toBe('refunded');
    expect((await collectRefund(p, refund('R1', 400), deps)).kind).toBe('refunded');
    expect(stub.ledger.paidBack(req.orderId)).toBe(400);
    expect(await collectRefund(p, refund('R1', 500), deps)).toMatchObject({ kind: 'declined', reason: 'refund-mismatch' });
  });

  it('a refund of a payment WeChat Pay does not know is declined', async () => {
    const stub = await stubbed();
    const p = provider(stub);
    const r = await collectRefund(p, { refundId: 'R9', orderId: 'nope', provider: 'wechat', amount: 1, total: 1, reason: '' }, deps);
    expect(r).toMatchObject({ kind: 'declined', reason: 'order-not-found' });
  });
});

describe('WeChat Pay /secapi over mutual TLS with the merchant certificate', () => {
  let certs: TestCerts;
  beforeAll(() => {
    certs = makeTestCerts(MERCHANT.mchId);
  });
  afterAll(() => fs.rmSync(certs.dir, { recursive: true, force: true }));

  const tlsStub = () => stubbed({ tls: { key: certs.serverKey, cert: certs.serverCert, ca: certs.ca } });

  it('reverses with apiclient_cert.p12 (password: the merchant id) and refunds with the PEM pair', async () => {
    const stub = await tlsStub();
    stub.ledger.next('user-paying-then-timeout', 'paid');
    const p12 = provider(stub, { ca: certs.ca, clientCert: { pfx: certs.clientP12, passphrase: MERCHANT.mchId } });
    expect((await collectPayment(p12, order(), deps)).kind).toBe('timeout');
    const pem = provider(stub, { ca: certs.ca, clientCert: { cert: certs.clientCert, key: certs.clientKey } });
    const req = order(500);
    expect((await collectPayment(pem, req, deps)).kind).toBe('approved');
    expect((await collectRefund(pem, { refundId: 'R1', orderId: req.orderId, provider: 'wechat', amount: 500, total: 500, reason: '' }, deps)).kind).toBe('refunded');
    expect(stub.ledger.net()).toBe(0);
  });

  it('without the certificate, or with one from another CA, /secapi refuses and nothing is reversed', async () => {
    const stub = await tlsStub();
    for (const clientCert of [null, { cert: certs.strangerCert, key: certs.strangerKey }]) {
      stub.ledger.next('user-paying-then-timeout');
      const req = order();
      const r = await collectPayment(provider(stub, { ca: certs.ca, clientCert }), req, deps);
      expect(r.kind).toBe('revoke-failed');
      expect(stub.orders.get(req.orderId)?.state).toBe('USERPAYING');
    }
  });
});
