/**
 * A local Alipay OpenAPI 2.0 gateway for tests: HTTP on 127.0.0.1, port 0,
 * POST /gateway.do with the common parameters (app_id, method, format,
 * charset, sign_type, timestamp, version, sign) in the query string and
 * biz_content in the form body, as alipay-sdk sends them. Every request's
 * RSA2 signature is verified with the app's public key (sorted k=v pairs
 * without sign, as the signing rules of OpenAPI 2.0 say); a bad one is
 * answered 40002 isv.invalid-signature. Every answer is
 * {"<method>_response": {...}, "sign": "..."} signed with the gateway's own
 * key pair, made at start (its public key is what the till must trust).
 *
 * Implements alipay.trade.pay (scene bar_code), alipay.trade.query,
 * alipay.trade.cancel, alipay.trade.refund and
 * alipay.trade.fastpay.refund.query; what happens to the next payment is
 * scripted (StubLedger.next), and the stub keeps its own ledger of money moved.
 */
import { createSign, createVerify, generateKeyPairSync } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { formatMinor, parseMinor } from '../../src/shared/money';
import { StubLedger } from './payment-stub-ledger';

export interface AlipayStubOptions {
  appId: string;
  /** the app's public key (PEM) the till signs with the private half of */
  appPublicKey: string;
  /** queries answered WAIT_BUYER_PAY before a 'user-paying-then-paid' payment goes through (default 1) */
  payingQueries?: number;
}

type TradeStatus = 'WAIT_BUYER_PAY' | 'TRADE_SUCCESS' | 'TRADE_CLOSED';

interface Trade {
  outTradeNo: string;
  tradeNo: string;
  total: number;
  status: TradeStatus;
  payingLeft: number;
  gmtPayment: string | null;
  refunds: Map<string, number>;
}

export interface AlipayStubRequest {
  method: string;
  params: Record<string, string>;
  biz: Record<string, unknown>;
  signatureOk: boolean;
}

type Body = Record<string, string>;

function cstNow(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().replace('T', ' ').slice(0, 19);
}

export class AlipayStub {
  readonly ledger = new StubLedger();
  readonly trades = new Map<string, Trade>();
  readonly requests: AlipayStubRequest[] = [];
  /** cancels answered retry_flag=Y (ACQ.SYSTEM_ERROR) before one goes through */
  cancelFailures = 0;
  /** what a cancel of a trade that never arrived answers: closed (and the number blocked), or ACQ.TRADE_NOT_EXIST */
  unknownCancel: 'close' | 'not-exist' = 'close';
  readonly alipayPublicKey: string;
  private readonly alipayPrivateKey: string;
  /** while set, every connection is dropped without an answer (the provider unreachable after accepting) */
  down = false;
  url = '';
  private server: http.Server | null = null;
  private seq = 0;

  constructor(readonly o: AlipayStubOptions) {
    const pair = generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
    this.alipayPublicKey = pair.publicKey;
    this.alipayPrivateKey = pair.privateKey;
  }

  /** the gateway URL the till is configured with */
  get gateway(): string {
    return `${this.url}/gateway.do`;
  }

  async start(): Promise<this> {
    const server = http.createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  calls(method: string): Array<Record<string, unknown>> {
    return this.requests.filter((r) => r.method === method && r.signatureOk).map((r) => r.biz);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://stub');
    if (req.method !== 'POST' || url.pathname !== '/gateway.do') {
      res.writeHead(404).end();
      return;
    }
    const params: Record<string, string> = {};
    for (const [k, v] of url.searchParams) params[k] = v;
    for (const [k, v] of new URLSearchParams(Buffer.concat(chunks).toString('utf8'))) params[k] = v;
    const method = params.method ?? '';
    const key = `${method.replaceAll('.', '_')}_response`;
    const send = (body: Body) => {
      const inner = JSON.stringify(body);
      const sign = createSign('RSA-SHA256').update(inner, 'utf8').sign(this.alipayPrivateKey, 'base64');
      res.writeHead(200, { 'content-type': 'application/json;charset=utf-8' });
      res.end(`{"${key}":${inner},"sign":"${sign}"}`);
    };
    const content = Object.keys(params)
      .filter((k) => k !== 'sign' && params[k] !== '')
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
    let signatureOk = false;
    try {
      signatureOk = params.sign_type === 'RSA2' && !!params.sign && createVerify('RSA-SHA256').update(content, 'utf8').verify(this.o.appPublicKey, params.sign, 'base64');
    } catch {
      signatureOk = false;
    }
    let biz: Record<string, unknown> = {};
    try {
      biz = JSON.parse(params.biz_content ?? '{}') as Record<string, unknown>;
    } catch {
      biz = {};
    }
    this.requests.push({ method, params, biz, signatureOk });
    if (!signatureOk) {
      return send({ code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-signature', sub_msg: `验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配，网关生成的验签字符串为：${content}` });
    }
    if (params.app_id !== this.o.appId) return send({ code: '40002', msg: 'Invalid Arguments', sub_code: 'isv.invalid-app-id', sub_msg: '无效的AppID参数' });
    const s = (k: string) => (typeof biz[k] === 'string' ? (biz[k] as string) : '');
    const fail = (sub: string, subMsg: string, extra: Body = {}) => send({ code: '40004', msg: 'Business Failed', sub_code: sub, sub_msg: subMsg, ...extra });
    switch (method) {
      case 'alipay.trade.pay':
        return this.pay(s, send, fail, res);
      case 'alipay.trade.query':
        return this.query(s, send, fail);
      case 'alipay.trade.cancel':
        return this.cancel(s, send, fail);
      case 'alipay.trade.refund':
        return this.refund(s, send, fail, res);
      case 'alipay.trade.fastpay.refund.query':
        return this.refundQuery(s, send);
      default:
        return send({ code: '40004', msg: 'Business Failed', sub_code: 'isv.invalid-method', sub_msg: '不存在的方法名' });
    }
  }

  private paid(t: Trade): Body {
    return {
      trade_no: t.tradeNo,
      out_trade_no: t.outTradeNo,
      buyer_logon_id: '159****5620',
      total_amount: formatMinor(t.total),
      receipt_amount: formatMinor(t.total),
      buyer_pay_amount: formatMinor(t.total),
      gmt_payment: t.gmtPayment ?? cstNow(),
      buyer_user_id: '2088101117955611',
    };
  }

  private charge(t: Trade): void {
    t.status = 'TRADE_SUCCESS';
    t.gmtPayment = cstNow();
    this.ledger.record({ kind: 'charge', orderId: t.outTradeNo, amount: t.total, refundId: null });
  }

  private pay(s: (k: string) => string, send: (b: Body) => void, fail: (sub: string, msg: string) => void, res: http.ServerResponse): void {
    if (s('scene') !== 'bar_code') return fail('ACQ.INVALID_PARAMETER', '参数无效');
    if (!/^(2[5-9]|30)[0-9]{14,22}$/.test(s('auth_code'))) return fail('ACQ.PAYMENT_AUTH_CODE_INVALID', '支付失败，获取顾客账户信息失败，请顾客刷新付款码后重新收款');
    let total: number;
    try {
      total = parseMinor(s('total_amount'));
    } catch {
      return fail('ACQ.INVALID_PARAMETER', 'total_amount 参数无效');
    }
    if (!s('out_trade_no') || total <= 0) return fail('ACQ.INVALID_PARAMETER', '参数无效');
    const existing = this.trades.get(s('out_trade_no'));
    if (existing) return existing.status === 'TRADE_CLOSED' ? fail('ACQ.TRADE_HAS_CLOSE', '交易已经关闭') : fail('ACQ.TRADE_HAS_SUCCESS', '交易已被支付');
    this.seq++;
    const t: Trade = { outTradeNo: s('out_trade_no'), tradeNo: `2026${String(this.seq).padStart(24, '0')}`, total, status: 'WAIT_BUYER_PAY', payingLeft: 0, gmtPayment: null, refunds: new Map() };
    this.trades.set(t.outTradeNo, t);
    const waiting = { code: '10003', msg: ' order success pay inprocess', trade_no: t.tradeNo, out_trade_no: t.outTradeNo, total_amount: formatMinor(total) };
    switch (this.ledger.takeScript()) {
      case 'paid':
        this.charge(t);
        return send({ code: '10000', msg: 'Success', ...this.paid(t) });
      case 'user-paying-then-paid':
        t.payingLeft = this.o.payingQueries ?? 1;
        return send(waiting);
      case 'user-paying-then-timeout':
        t.payingLeft = Infinity;
        return send(waiting);
      case 'system-error-then-paid':
        this.charge(t);
        return send({ code: '20000', msg: 'Service Currently Unavailable', sub_code: 'isp.unknow-error', sub_msg: '系统繁忙' });
      case 'declined':
        this.trades.delete(t.outTradeNo);
        return fail('ACQ.BUYER_BALANCE_NOT_ENOUGH', '买家余额不足');
      case 'drop-after-charge':
        this.charge(t);
        res.socket?.destroy();
        return;
    }
  }

  private query(s: (k: string) => string, send: (b: Body) => void, fail: (sub: string, msg: string) => void): void {
    const t = this.trades.get(s('out_trade_no')) ?? [...this.trades.values()].find((x) => x.tradeNo === s('trade_no'));
    if (!t) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    if (t.status === 'WAIT_BUYER_PAY') {
      if (t.payingLeft > 0) t.payingLeft--;
      else this.charge(t);
    }
    const base = { code: '10000', msg: 'Success', trade_no: t.tradeNo, out_trade_no: t.outTradeNo, trade_status: t.status, total_amount: formatMinor(t.total) };
    send(t.status === 'TRADE_SUCCESS' ? { ...base, ...this.paid(t), trade_status: t.status } : base);
  }

  private cancel(s: (k: string) => string, send: (b: Body) => void, fail: (sub: string, msg: string, extra?: Body) => void): void {
    const no = s('out_trade_no');
    if (this.cancelFailures > 0) {
      this.cancelFailures--;
      return fail('ACQ.SYSTEM_ERROR', '系统异常', { retry_flag: 'Y' });
    }
    let t = this.trades.get(no);
    if (!t && this.unknownCancel === 'not-exist') return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    if (!t) {
      // a trade that never arrived is closed, so a late payment with this number can never go through
      t = { outTradeNo: no, tradeNo: '', total: 0, status: 'TRADE_CLOSED', payingLeft: 0, gmtPayment: null, refunds: new Map() };
      this.trades.set(no, t);
      return send({ code: '10000', msg: 'Success', out_trade_no: no, retry_flag: 'N', action: 'close' });
    }
    let action = 'close';
    if (t.status === 'TRADE_SUCCESS') {
      const left = t.total - this.ledger.paidBack(no);
      if (left > 0) this.ledger.record({ kind: 'reversal', orderId: no, amount: left, refundId: null });
      action = 'refund';
    }
    t.status = 'TRADE_CLOSED';
    send({ code: '10000', msg: 'Success', trade_no: t.tradeNo, out_trade_no: no, retry_flag: 'N', action });
  }

  private refund(s: (k: string) => string, send: (b: Body) => void, fail: (sub: string, msg: string) => void, res: http.ServerResponse): void {
    const t = this.trades.get(s('out_trade_no'));
    if (!t || !t.tradeNo) return fail('ACQ.TRADE_NOT_EXIST', '交易不存在');
    let amount: number;
    try {
      amount = parseMinor(s('refund_amount'));
    } catch {
      return fail('ACQ.INVALID_PARAMETER', 'refund_amount 参数无效');
    }
    const requestNo = s('out_request_no') || t.outTradeNo;
    const answer = (fundChange: 'Y' | 'N') =>
      send({
        code: '10000',
        msg: 'Success',
        trade_no: t.tradeNo,
        out_trade_no: t.outTradeNo,
        buyer_logon_id: '159****5620',
        fund_change: fundChange,
        refund_fee: formatMinor(this.ledger.paidBack(t.outTradeNo)),
        gmt_refund_pay: cstNow(),
      });
    const done = t.refunds.get(requestNo);
    if (done !== undefined) {
      if (done !== amount) return fail('ACQ.INVALID_PARAMETER', '同一退款请求号的退款金额不一致');
      return answer('N');
    }
    if (t.status !== 'TRADE_SUCCESS') return fail('ACQ.TRADE_STATUS_ERROR', '交易状态不合法');
    if (amount <= 0 || amount > t.total - this.ledger.paidBack(t.outTradeNo)) return fail('ACQ.REFUND_AMT_NOT_EQUAL_TOTAL', '退款金额超限');
    t.refunds.set(requestNo, amount);
    this.ledger.record({ kind: 'refund', orderId: t.outTradeNo, amount, refundId: requestNo });
    switch (this.ledger.takeRefundScript()) {
      case 'ok':
        return answer('Y');
      case 'system-error-after-refund':
        return fail('ACQ.SYSTEM_ERROR', '系统错误');
      case 'drop-after-refund':
        res.socket?.destroy();
        return;
    }
  }

  private refundQuery(s: (k: string) => string, send: (b: Body) => void): void {
    const t = this.trades.get(s('out_trade_no'));
    const requestNo = s('out_request_no');
    const amount = t?.refunds.get(requestNo);
    if (!t || amount === undefined) return send({ code: '10000', msg: 'Success', out_trade_no: s('out_trade_no') });
    send({
      code: '10000',
      msg: 'Success',
      trade_no: t.tradeNo,
      out_trade_no: t.outTradeNo,
      out_request_no: requestNo,
      total_amount: formatMinor(t.total),
      refund_amount: formatMinor(amount),
      refund_status: 'REFUND_SUCCESS',
    });
  }
}
