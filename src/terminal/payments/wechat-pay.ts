/**
 * WeChat Pay 付款码支付 (micropay) for a merchant, WeChat Pay API v2
 * (pay.weixin.qq.com/wiki/doc/api/micropay.php: 提交付款码支付 /pay/micropay,
 * 查询订单 /pay/orderquery, 撤销订单 /secapi/pay/reverse, 申请退款
 * /secapi/pay/refund, 查询退款 /pay/refundquery), XML over HTTPS, every message
 * signed with the API key (MD5 or HMAC-SHA256, see wechat-sign.ts) and every
 * answer's signature checked before a field of it is believed. The /secapi
 * calls present the merchant's API certificate (apiclient_cert.p12 or the PEM
 * pair): mutual TLS. Service-provider mode (服务商) adds sub_appid/sub_mch_id.
 *
 * The closed loop, as the micropay page documents it:
 * - result SUCCESS: paid. err_code USERPAYING (the customer enters a
 *   password), SYSTEMERROR or BANKERROR, or no answer at all: the result is
 *   unknown, so the order is queried (src/core/payment.ts) until the
 *   deadline; still unknown then: reversed. ORDERPAID and OUT_TRADE_NO_USED on
 *   our own fresh number are unknown too: the query says what it is.
 * - Any other err_code is a refusal: nothing was charged.
 * - return_code FAIL: the gateway refused the message itself (signature,
 *   format); nothing was processed.
 * - An answer whose signature does not verify is no answer: unknown; so is
 *   a paid answer for another order number or amount.
 * - A reverse answered recall=Y, SYSTEMERROR or nothing is sent again (a
 *   bounded number of times). ORDERNOTEXIST means nothing to reverse.
 * - Refunds are idempotent by out_refund_no: SYSTEMERROR and
 *   BIZERR_NEED_RETRY are sent again with the same number; a refund accepted
 *   (result SUCCESS) is being paid back; /pay/refundquery says SUCCESS,
 *   PROCESSING, REFUNDCLOSE or CHANGE, or REFUNDNOTEXIST (never received).
 * Amounts are fen (total_fee, refund_fee), fee_type CNY.
 */
import type { OrderRef, PaymentAnswer, PaymentProvider, PaymentRequest, RefundAnswer, RefundRequest } from '../../core/payment';
import type { PaymentProviderName } from '../../shared/contract/cart';
import { postText, ProviderTransportError, type ClientCertificate } from './http';
import { cstToIso, maskCode, PaymentProviderError, type PaymentTrace, type ProviderLoop } from './provider-common';
import { wechatReason, wechatReturnReason } from './reasons';
import { parseWechatXml, toWechatXml, wechatNonce, wechatSign, wechatVerify, type WechatParams, type WechatSignType } from './wechat-sign';

export const WECHAT_PAY_API = 'https://api.mch.weixin.qq.com';

export interface WechatPayConfig {
  appId: string;
  mchId: string;
  /** service-provider mode: the sub-merchant and (optionally) its app id */
  subMchId?: string | null;
  subAppId?: string | null;
  /** the API v2 key (商户平台 > API安全 > API密钥) */
  apiKey: string;
  signType: WechatSignType;
  /** default https://api.mch.weixin.qq.com */
  baseUrl?: string;
  /** the merchant's API certificate, needed for reverse and refund */
  clientCert: ClientCertificate | null;
  /** an extra CA to trust (a test endpoint); the system's CAs otherwise */
  ca?: string | null;
  /** device_info: the terminal, as the bill shows it */
  deviceInfo?: string | null;
  /** spbill_create_ip: the address of the till */
  clientIp: string;
  /** one HTTP request's limit */
  requestTimeoutMs: number;
}

/** what one call came back with, once its envelope and signature are checked */
type Reply = { kind: 'refused'; message: string } | { kind: 'answer'; fields: WechatParams };

const UNKNOWN_PAY = new Set(['USERPAYING', 'SYSTEMERROR', 'BANKERROR', 'ORDERPAID', 'OUT_TRADE_NO_USED']);
const RETRY_REFUND = new Set(['SYSTEMERROR', 'BIZERR_NEED_RETRY', 'FREQUENCY_LIMITED', 'INVALID_REQ_TOO_MUCH']);

/** body is string(128): keep it short */
const bodyOf = (s: string) => [...s].slice(0, 40).join('');

export class WechatPayProvider implements PaymentProvider {
  readonly kind = 'live' as const;
  readonly timeoutMs: number;
  readonly pollMs: number;
  private readonly base: string;

  constructor(
    private readonly cfg: WechatPayConfig,
    private readonly loop: ProviderLoop,
  ) {
    this.timeoutMs = loop.timeoutMs;
    this.pollMs = loop.pollMs;
    this.base = (cfg.baseUrl ?? WECHAT_PAY_API).replace(/\/+$/, '');
  }

  accepts(provider: PaymentProviderName): boolean {
    return provider === 'wechat';
  }

  private trace(t: Omit<PaymentTrace, 'provider'>): void {
    this.loop.trace?.({ provider: 'wechat', ...t });
  }

  /** signs and sends one request; throws ProviderTransportError or PaymentProviderError when the answer is missing or not to be believed */
  private async call(path: string, params: WechatParams): Promise<Reply> {
    const c = this.cfg;
    const msg: WechatParams = {
      appid: c.appId,
      mch_id: c.mchId,
      ...(c.subAppId ? { sub_appid: c.subAppId } : {}),
      ...(c.subMchId ? { sub_mch_id: c.subMchId } : {}),
      nonce_str: wechatNonce(),
      ...(c.signType === 'HMAC-SHA256' ? { sign_type: 'HMAC-SHA256' } : {}),
      ...params,
    };
    msg.sign = wechatSign(msg, c.apiKey, c.signType);
    const shown = { ...msg, ...(msg.auth_code ? { auth_code: maskCode(msg.auth_code) } : {}) };
    const secure = path.startsWith('/secapi/');
    let fields: WechatParams;
    try {
      const res = await postText(`${this.base}${path}`, toWechatXml(msg), {
        headers: { 'content-type': 'text/xml; charset=utf-8' },
        timeoutMs: c.requestTimeoutMs,
        clientCert: secure ? c.clientCert : null,
        ca: c.ca ?? null,
      });
      if (res.status !== 200) throw new ProviderTransportError(`HTTP ${res.status} from ${path}`, true);
      fields = parseWechatXml(res.body);
    } catch (e) {
      this.trace({ api: path, request: shown, response: null, outcome: `no answer: ${e instanceof Error ? e.message : String(e)}` });
      throw e;
    }
    if (fields.return_code !== 'SUCCESS') {
      const message = fields.return_msg ?? 'no return_msg';
      this.trace({ api: path, request: shown, response: fields, outcome: `refused by the gateway: ${message}` });
      return { kind: 'refused', message };
    }
    if (!wechatVerify(fields, c.apiKey, c.signType) || fields.mch_id !== c.mchId) {
      this.trace({ api: path, request: shown, response: fields, outcome: 'the answer is not signed with this merchant key: ignored' });
      throw new PaymentProviderError(`the answer from ${path} is not signed by WeChat Pay for merchant ${c.mchId}`, 'merchant-config');
    }
    this.trace({ api: path, request: shown, response: fields, outcome: fields.result_code === 'SUCCESS' ? 'SUCCESS' : `${fields.err_code ?? 'FAIL'}: ${fields.err_code_des ?? ''}` });
    return { kind: 'answer', fields };
  }

  /** a paid answer for another order or amount is not this payment: unknown, so the loop ends by reversing it, never by keeping or forgetting it */
  private paid(f: WechatParams, req: { orderId: string; amount: number }): PaymentAnswer {
    if (f.out_trade_no !== req.orderId || f.total_fee !== String(req.amount)) {
      this.trace({ api: 'check', request: { out_trade_no: req.orderId, total_fee: String(req.amount) }, response: null, outcome: `paid as order ${f.out_trade_no ?? '?'} of ${f.total_fee ?? '?'} fen: not this payment, treated as unknown` });
      return { status: 'pending' };
    }
    return { status: 'approved', reference: f.transaction_id ?? req.orderId, paidAt: cstToIso(f.time_end) };
  }

  async pay(req: PaymentRequest): Promise<PaymentAnswer> {
    let reply: Reply;
    try {
      reply = await this.call('/pay/micropay', {
        body: bodyOf(req.description),
        out_trade_no: req.orderId,
        total_fee: String(req.amount),
        fee_type: 'CNY',
        spbill_create_ip: this.cfg.clientIp,
        auth_code: req.code,
        ...(this.cfg.deviceInfo ? { device_info: this.cfg.deviceInfo } : {}),
      });
    } catch (e) {
      if (e instanceof ProviderTransportError && !e.sent) return { status: 'declined', reason: 'provider-unreachable', message: `WeChat Pay could not be reached: ${e.message}` };
      return { status: 'pending' };
    }
    if (reply.kind === 'refused') return { status: 'declined', reason: wechatReturnReason(reply.message), message: `WeChat Pay refused the request: ${reply.message}` };
    const f = reply.fields;
    if (f.result_code === 'SUCCESS') return this.paid(f, req);
    const err = f.err_code ?? '';
    if (UNKNOWN_PAY.has(err)) return { status: 'pending' };
    return { status: 'declined', reason: wechatReason(err, 'pay'), message: `WeChat Pay ${err}: ${f.err_code_des ?? ''}` };
  }

  async query(order: OrderRef): Promise<PaymentAnswer> {
    const { orderId } = order;
    const reply = await this.call('/pay/orderquery', { out_trade_no: orderId });
    if (reply.kind === 'refused') throw new PaymentProviderError(`WeChat Pay refused the order query: ${reply.message}`, wechatReturnReason(reply.message));
    const f = reply.fields;
    if (f.result_code !== 'SUCCESS') {
      const err = f.err_code ?? '';
      // the order may not exist yet (the payment request still on its way): unknown, the deadline decides
      if (err === 'ORDERNOTEXIST' || err === 'SYSTEMERROR') return { status: 'pending' };
      throw new PaymentProviderError(`WeChat Pay ${err}: ${f.err_code_des ?? ''}`, wechatReason(err, 'pay'), err);
    }
    switch (f.trade_state) {
      case 'SUCCESS':
      case 'REFUND':
        return this.paid(f, order);
      case 'CLOSED':
      case 'REVOKED':
        return { status: 'declined', reason: 'order-closed', message: `WeChat Pay order ${f.trade_state}: ${f.trade_state_desc ?? ''}` };
      case 'PAYERROR':
        return { status: 'declined', reason: 'provider-error', message: `WeChat Pay PAYERROR: ${f.trade_state_desc ?? ''}` };
      default:
        // USERPAYING, NOTPAY, ACCEPT
        return { status: 'pending' };
    }
  }

  async revoke({ orderId }: OrderRef): Promise<void> {
    let last = 'no answer';
    for (let attempt = 1; attempt <= this.loop.revokeAttempts; attempt++) {
      if (attempt > 1) await this.loop.sleep(this.pollMs);
      let reply: Reply;
      try {
        reply = await this.call('/secapi/pay/reverse', { out_trade_no: orderId });
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
        continue;
      }
      if (reply.kind === 'refused') throw new PaymentProviderError(`WeChat Pay refused the reverse: ${reply.message}`, wechatReturnReason(reply.message));
      const f = reply.fields;
      if (f.result_code === 'SUCCESS' && f.recall !== 'Y') return;
      const err = f.err_code ?? '';
      if (err === 'ORDERNOTEXIST') return;
      if (f.recall === 'Y' || err === 'SYSTEMERROR' || f.result_code === 'SUCCESS') {
        last = `${err || 'recall'}: ${f.err_code_des ?? 'WeChat Pay asks to reverse again'}`;
        continue;
      }
      throw new PaymentProviderError(`WeChat Pay could not reverse ${orderId}: ${err} ${f.err_code_des ?? ''}`, wechatReason(err, 'refund'), err);
    }
    throw new PaymentProviderError(`WeChat Pay did not confirm the reverse of ${orderId} after ${this.loop.revokeAttempts} tries (${last})`, 'provider-error');
  }

  async refund(req: RefundRequest): Promise<RefundAnswer> {
    let reply: Reply;
    try {
      reply = await this.call('/secapi/pay/refund', {
        out_trade_no: req.orderId,
        out_refund_no: req.refundId,
        total_fee: String(req.total),
        refund_fee: String(req.amount),
        refund_fee_type: 'CNY',
        ...(req.reason ? { refund_desc: [...req.reason].slice(0, 80).join('') } : {}),
      });
    } catch (e) {
      if (e instanceof ProviderTransportError && !e.sent) return { status: 'absent' };
      return { status: 'pending' };
    }
    if (reply.kind === 'refused') return { status: 'declined', reason: wechatReturnReason(reply.message), message: `WeChat Pay refused the refund: ${reply.message}` };
    const f = reply.fields;
    if (f.result_code === 'SUCCESS') {
      if (f.out_refund_no !== req.refundId || f.refund_fee !== String(req.amount)) {
        return { status: 'declined', reason: 'refund-mismatch', message: `WeChat Pay answered for refund ${f.out_refund_no ?? '?'} of ${f.refund_fee ?? '?'} fen` };
      }
      return { status: 'refunded', reference: f.refund_id ?? null, settled: false };
    }
    const err = f.err_code ?? '';
    if (RETRY_REFUND.has(err)) return { status: 'pending' };
    return { status: 'declined', reason: wechatReason(err, 'refund'), message: `WeChat Pay ${err}: ${f.err_code_des ?? ''}` };
  }

  async queryRefund(req: RefundRequest): Promise<RefundAnswer> {
    const reply = await this.call('/pay/refundquery', { out_refund_no: req.refundId });
    if (reply.kind === 'refused') throw new PaymentProviderError(`WeChat Pay refused the refund query: ${reply.message}`, wechatReturnReason(reply.message));
    const f = reply.fields;
    if (f.result_code !== 'SUCCESS') {
      const err = f.err_code ?? '';
      if (err === 'REFUNDNOTEXIST') return { status: 'absent' };
      if (err === 'SYSTEMERROR') return { status: 'pending' };
      throw new PaymentProviderError(`WeChat Pay ${err}: ${f.err_code_des ?? ''}`, wechatReason(err, 'refund'), err);
    }
    const count = Number(f.refund_count ?? '0');
    for (let n = 0; n < count; n++) {
      if (f[`out_refund_no_${n}`] !== req.refundId) continue;
      if (f[`refund_fee_${n}`] !== String(req.amount)) {
        return { status: 'declined', reason: 'refund-mismatch', message: `WeChat Pay has refund ${req.refundId} for ${f[`refund_fee_${n}`] ?? '?'} fen, not ${req.amount}` };
      }
      const status = f[`refund_status_${n}`];
      const reference = f[`refund_id_${n}`] ?? null;
      if (status === 'SUCCESS') return { status: 'refunded', reference, settled: true };
      if (status === 'PROCESSING') return { status: 'refunded', reference, settled: false };
      return { status: 'declined', reason: 'refund-abnormal', message: `WeChat Pay refund ${req.refundId} is ${status ?? 'unknown'}` };
    }
    return { status: 'absent' };
  }
}
