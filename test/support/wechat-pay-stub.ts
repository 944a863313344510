/**
 * A local WeChat Pay API v2 merchant endpoint for tests: HTTP (or HTTPS with
 * mutual TLS) on 127.0.0.1, port 0. It speaks the documented messages of
 * /pay/micropay, /pay/orderquery, /secapi/pay/reverse, /secapi/pay/refund and
 * /pay/refundquery: flat <xml>, MD5 or HMAC-SHA256 signatures by the API key.
 * Every request's signature is verified and a bad one is refused as the real
 * gateway does (return_code FAIL, 签名错误), and every answer is signed. With
 * TLS, /secapi requests without a client certificate signed by the
 * configured CA get their connection closed.
 *
 * What happens to the next payment is scripted (StubLedger.next); the stub
 * keeps the provider's own ledger of charges, reversals and refunds.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { parseWechatXml, toWechatXml, wechatNonce, wechatSign, wechatVerify, type WechatParams, type WechatSignType } from '../../src/terminal/payments/wechat-sign';
import { StubLedger } from './payment-stub-ledger';

export interface WechatStubOptions {
  appId: string;
  mchId: string;
  apiKey: string;
  /** serve HTTPS; /secapi then requires a client certificate issued by `ca` */
  tls?: { key: string; cert: string; ca: string };
  /** queries answered USERPAYING before a 'user-paying-then-paid' payment goes through (default 1) */
  payingQueries?: number;
}

type TradeState = 'SUCCESS' | 'REFUND' | 'NOTPAY' | 'CLOSED' | 'REVOKED' | 'USERPAYING' | 'PAYERROR';

interface Order {
  outTradeNo: string;
  transactionId: string;
  total: number;
  state: TradeState;
  /** queries left before a paying customer confirms (Infinity: never) */
  payingLeft: number;
  timeEnd: string | null;
  refunds: Map<string, { refundId: string; amount: number }>;
}

export interface StubRequest {
  path: string;
  fields: WechatParams;
  signatureOk: boolean;
}

/** China Standard Time as yyyyMMddHHmmss */
function cstNow(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().replace(/\D/g, '').slice(0, 14);
}

export class WechatPayStub {
  readonly ledger = new StubLedger();
  readonly orders = new Map<string, Order>();
  readonly requests: StubRequest[] = [];
  /** reverses answered SYSTEMERROR with recall=Y before one goes through */
  reverseFailures = 0;
  /** while set, every connection is dropped without an answer (the provider unreachable after accepting) */
  down = false;
  /**
   * awaited with each well-signed request before it is processed: a test can
   * kill the till there; 'drop' closes the connection unprocessed (the request
   * never arrived), anything else processes it
   */
  gate: ((path: string, fields: WechatParams) => Promise<'drop' | 'process'>) | null = null;
  /** told when an answer has been written out */
  answered: ((path: string) => void) | null = null;
  url = '';
  private server: http.Server | https.Server | null = null;
  private seq = 0;

  constructor(readonly o: WechatStubOptions) {}

  async start(): Promise<this> {
    const handler = (req: http.IncomingMessage, res: http.ServerResponse) => void this.handle(req, res);
    const server = this.o.tls ? https.createServer({ key: this.o.tls.key, cert: this.o.tls.cert, ca: this.o.tls.ca, requestCert: true, rejectUnauthorized: false }, handler) : http.createServer(handler);
    this.server = server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    this.url = `${this.o.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
    return this;
  }

  async close(): Promise<void> {
    const s = this.server;
    if (!s) return;
    this.server = null;
    s.closeAllConnections();
    await new Promise<void>((r) => s.close(() => r()));
  }

  /** requests to a path (with a good signature) */
  calls(path: string): WechatParams[] {
    return this.requests.filter((r) => r.path === path && r.signatureOk).map((r) => r.fields);
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (path.startsWith('/secapi/') && this.o.tls && !(req.socket as TLSSocket).authorized) {
      req.socket.destroy();
      return;
    }
    const send = (f: WechatParams) => {
      res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
      res.end(toWechatXml(f));
    };
    const fail = (msg: string) => send({ return_code: 'FAIL', return_msg: msg });
    if (req.method !== 'POST') return fail('请使用post方法');
    let fields: WechatParams;
    try {
      fields = parseWechatXml(Buffer.concat(chunks).toString('utf8'));
    } catch {
      return fail('XML格式错误');
    }
    const signType: WechatSignType = fields.sign_type === 'HMAC-SHA256' ? 'HMAC-SHA256' : 'MD5';
    const signatureOk = (fields.sign_type === undefined || fields.sign_type === 'MD5' || fields.sign_type === 'HMAC-SHA256') && wechatVerify(fields, this.o.apiKey, signType);
    this.requests.push({ path, fields, signatureOk });
    if (!signatureOk) return fail('签名错误');
    if (this.gate && (await this.gate(path, fields)) === 'drop') {
      req.socket.destroy();
      return;
    }
    res.on('finish', () => this.answered?.(path));
    const reply = (result: WechatParams) => {
      const out: WechatParams = { return_code: 'SUCCESS', return_msg: 'OK', appid: this.o.appId, mch_id: this.o.mchId, nonce_str: wechatNonce(), ...result };
      out.sign = wechatSign(out, this.o.apiKey, signType);
      send(out);
    };
    const error = (code: string, des: string, extra: WechatParams = {}) => reply({ result_code: 'FAIL', err_code: code, err_code_des: des, ...extra });
    if (fields.appid !== this.o.appId) return error('APPID_NOT_EXIST', 'APPID不存在');
    if (fields.mch_id !== this.o.mchId) return error('MCHID_NOT_EXIST', 'MCHID不存在');
    switch (path) {
      case '/pay/micropay':
        return this.micropay(fields, reply, error, res);
      case '/pay/orderquery':
        return this.orderQuery(fields, reply, error);
      case '/secapi/pay/reverse':
        return this.reverse(fields, reply, error);
      case '/secapi/pay/refund':
        return this.refund(fields, reply, error, fail, res);
      case '/pay/refundquery':
        return this.refundQuery(fields, reply, error);
      default:
        res.writeHead(404).end();
    }
  }

  private paidFields(o: Order): WechatParams {
    return {
      openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
      is_subscribe: 'N',
      trade_type: 'MICROPAY',
      bank_type: 'OTHERS',
      fee_type: 'CNY',
      total_fee: String(o.total),
      cash_fee_type: 'CNY',
      cash_fee: String(o.total),
      transaction_id: o.transactionId,
      out_trade_no: o.outTradeNo,
      time_end: o.timeEnd ?? cstNow(),
    };
  }

  private charge(o: Order): void {
    o.state = 'SUCCESS';
    o.timeEnd = cstNow();
    this.ledger.record({ kind: 'charge', orderId: o.outTradeNo, amount: o.total, refundId: null });
  }

  private micropay(f: WechatParams, reply: (r: WechatParams) => void, error: (c: string, d: string) => void, res: http.ServerResponse): void {
    for (const k of ['body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'auth_code', 'nonce_str']) if (!f[k]) return error('LACK_PARAMS', `缺少参数${k}`);
    if (!/^[1-9][0-9]*$/.test(f.total_fee as string)) return error('PARAM_ERROR', 'total_fee 参数错误');
    if (!/^1[0-5][0-9]{16}$/.test(f.auth_code as string)) return error('AUTH_CODE_INVALID', '请扫描微信支付授权码');
    const outTradeNo = f.out_trade_no as string;
    const existing = this.orders.get(outTradeNo);
    if (existing) {
      if (existing.state === 'SUCCESS' || existing.state === 'REFUND') return error('ORDERPAID', '订单已支付');
      if (existing.state === 'REVOKED') return error('ORDERREVERSED', '订单已撤销');
      return error('OUT_TRADE_NO_USED', '商户订单号重复');
    }
    this.seq++;
    const o: Order = { outTradeNo, transactionId: `4200${String(this.seq).padStart(24, '0')}`, total: Number(f.total_fee), state: 'USERPAYING', payingLeft: 0, timeEnd: null, refunds: new Map() };
    this.orders.set(outTradeNo, o);
    switch (this.ledger.takeScript()) {
      case 'paid':
        this.charge(o);
        return reply({ result_code: 'SUCCESS', device_info: f.device_info ?? '', ...this.paidFields(o) });
      case 'user-paying-then-paid':
        o.payingLeft = this.o.payingQueries ?? 1;
        return error('USERPAYING', '需要用户输入支付密码');
      case 'user-paying-then-timeout':
        o.payingLeft = Infinity;
        return error('USERPAYING', '需要用户输入支付密码');
      case 'system-error-then-paid':
        this.charge(o);
        return error('SYSTEMERROR', '系统超时');
      case 'declined':
        o.state = 'PAYERROR';
        return error('NOTENOUGH', '余额不足');
      case 'drop-after-charge':
        this.charge(o);
        res.socket?.destroy();
        return;
    }
  }

  private orderQuery(f: WechatParams, reply: (r: WechatParams) => void, error: (c: string, d: string) => void): void {
    const o = f.out_trade_no ? this.orders.get(f.out_trade_no) : [...this.orders.values()].find((x) => x.transactionId === f.transaction_id);
    if (!o) return error('ORDERNOTEXIST', '此交易订单号不存在');
    if (o.state === 'USERPAYING') {
      if (o.payingLeft > 0) o.payingLeft--;
      else this.charge(o);
    }
    const paid = o.state === 'SUCCESS' || o.state === 'REFUND';
    reply({
      result_code: 'SUCCESS',
      trade_state: o.state,
      trade_state_desc: o.state === 'USERPAYING' ? '需要用户输入支付密码' : o.state,
      out_trade_no: o.outTradeNo,
      ...(paid ? this.paidFields(o) : { total_fee: String(o.total) }),
    });
  }

  private reverse(f: WechatParams, reply: (r: WechatParams) => void, error: (c: string, d: string, extra?: WechatParams) => void): void {
    const o = f.out_trade_no ? this.orders.get(f.out_trade_no) : undefined;
    if (!o) return error('ORDERNOTEXIST', '订单不存在');
    if (this.reverseFailures > 0) {
      this.reverseFailures--;
      return error('SYSTEMERROR', '系统错误', { recall: 'Y' });
    }
    if (o.state === 'SUCCESS' || o.state === 'REFUND') {
      const left = o.total - this.ledger.paidBack(o.outTradeNo);
      if (left > 0) this.ledger.record({ kind: 'reversal', orderId: o.outTradeNo, amount: left, refundId: null });
    }
    o.state = 'REVOKED';
    reply({ result_code: 'SUCCESS', recall: 'N' });
  }

  private refund(
    f: WechatParams,
    reply: (r: WechatParams) => void,
    error: (c: string, d: string) => void,
    fail: (m: string) => void,
    res: http.ServerResponse,
  ): void {
    for (const k of ['out_refund_no', 'total_fee', 'refund_fee']) if (!f[k]) return error('LACK_PARAMS', `缺少参数${k}`);
    const o = f.out_trade_no ? this.orders.get(f.out_trade_no) : undefined;
    if (!o) return error('ORDERNOTEXIST', '订单不存在');
    const amount = Number(f.refund_fee);
    const refundNo = f.out_refund_no as string;
    if (!/^[1-9][0-9]*$/.test(f.refund_fee as string) || amount > Number(f.total_fee)) return fail('invalid refund_fee');
    if (Number(f.total_fee) !== o.total) return error('PARAM_ERROR', '订单金额或退款金额与之前请求不一致，请核实后再试');
    const answer = (r: { refundId: string; amount: number }) =>
      reply({
        result_code: 'SUCCESS',
        transaction_id: o.transactionId,
        out_trade_no: o.outTradeNo,
        out_refund_no: refundNo,
        refund_id: r.refundId,
        refund_fee: String(r.amount),
        total_fee: String(o.total),
        cash_fee: String(o.total),
        cash_refund_fee: String(r.amount),
      });
    const done = o.refunds.get(refundNo);
    if (done) {
      if (done.amount !== amount) return error('REFUND_FEE_MISMATCH', '同一个out_refund_no退款金额要一致');
      return answer(done);
    }
    if (o.state !== 'SUCCESS' && o.state !== 'REFUND') return error('ERROR', '订单状态错误');
    if (amount > o.total - this.ledger.paidBack(o.outTradeNo)) return error('ERROR', '累计退款金额大于支付金额');
    this.seq++;
    const r = { refundId: `5030${String(this.seq).padStart(24, '0')}`, amount };
    o.refunds.set(refundNo, r);
    o.state = 'REFUND';
    this.ledger.record({ kind: 'refund', orderId: o.outTradeNo, amount, refundId: refundNo });
    switch (this.ledger.takeRefundScript()) {
      case 'ok':
        return answer(r);
      case 'system-error-after-refund':
        return error('SYSTEMERROR', '接口返回错误');
      case 'drop-after-refund':
        res.socket?.destroy();
        return;
    }
  }

  private refundQuery(f: WechatParams, reply: (r: WechatParams) => void, error: (c: string, d: string) => void): void {
    for (const o of this.orders.values()) {
      const r = f.out_refund_no ? o.refunds.get(f.out_refund_no) : undefined;
      if (!r || !f.out_refund_no) continue;
      return reply({
        result_code: 'SUCCESS',
        transaction_id: o.transactionId,
        out_trade_no: o.outTradeNo,
        total_fee: String(o.total),
        cash_fee: String(o.total),
        refund_count: '1',
        out_refund_no_0: f.out_refund_no,
        refund_id_0: r.refundId,
        refund_channel_0: 'ORIGINAL',
        refund_fee_0: String(r.amount),
        refund_status_0: 'SUCCESS',
        refund_recv_accout_0: '支付用户零钱',
        refund_success_time_0: cstNow().replace(/^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/, '$1-$2-$3 $4:$5:$6'),
      });
    }
    return error('REFUNDNOTEXIST', '退款订单查询失败');
  }
}
