/**
 * Alipay 当面付 (face to face), the customer's payment code scanned at the
 * counter: Alipay OpenAPI 2.0 through the official alipay-sdk (4.14.0):
 * alipay.trade.pay with scene bar_code, alipay.trade.query,
 * alipay.trade.cancel, alipay.trade.refund (out_request_no) and
 * alipay.trade.fastpay.refund.query, version 1.0, RSA2 (SHA256withRSA) in
 * public-key mode. The SDK signs each request with the app's private key; we
 * always ask it to verify the answer with Alipay's public key
 * (validateSign), so an answer that is unsigned or signed by anyone else
 * counts as no answer. Amounts travel as yuan strings with two decimals and
 * are converted from and to fen here, never through a float.
 *
 * The closed loop, as the trade.pay page documents it:
 * - code 10000: paid. 10003 (WAIT_BUYER_PAY: the customer confirms on the
 *   phone), 20000 (service unavailable), 40004 ACQ.SYSTEM_ERROR or
 *   ACQ.TRADE_HAS_SUCCESS on our own fresh number, or no answer: unknown, so
 *   the order is queried until the deadline and then cancelled.
 * - Any other 40004 sub_code and 40001/40002/40006: refused, nothing charged.
 * - trade.query: WAIT_BUYER_PAY pending; TRADE_SUCCESS / TRADE_FINISHED paid;
 *   TRADE_CLOSED closed; ACQ.TRADE_NOT_EXIST unknown (not arrived yet).
 * - trade.cancel: retry_flag Y, ACQ.SYSTEM_ERROR, 20000 or no answer: sent
 *   again (bounded); action close or refund, or ACQ.TRADE_NOT_EXIST (never
 *   received): done.
 * - A paid answer for another order number or amount is unknown, so the
 *   deadline cancels it.
 * - trade.refund is idempotent by out_request_no; ACQ.SYSTEM_ERROR and 20000
 *   are sent again with the same number. fastpay.refund.query answering
 *   without refund data means the refund never happened (safe to resend);
 *   with refund_status empty or REFUND_SUCCESS it is done.
 * The SDK's HTTP client (urllib) sends a request once more by itself when the
 * connection drops; that is safe only because Alipay deduplicates on
 * out_trade_no and out_request_no, and the resend of a payment that went
 * through answers ACQ.TRADE_HAS_SUCCESS, which is queried like any unknown.
 */
import { AlipayRequestError, AlipaySdk, type AlipaySdkCommonResult } from 'alipay-sdk';
import type { OrderRef, PaymentAnswer, PaymentProvider, PaymentRequest, RefundAnswer, RefundRequest } from '../../core/payment';
import type { PaymentProviderName } from '../../shared/contract/cart';
import { cstToIso, fenOf, maskCode, PaymentProviderError, yuan, type PaymentTrace, type ProviderLoop } from './provider-common';
import { alipayReason } from './reasons';

export const ALIPAY_GATEWAY = 'https://openapi.alipay.com/gateway.do';

export interface AlipayConfig {
  appId: string;
  /** the app's private key, PEM (PKCS#8 "PRIVATE KEY" or PKCS#1 "RSA PRIVATE KEY") */
  privateKey: string;
  /** Alipay's public key for this app (开放平台 > 接口加签方式), PEM */
  alipayPublicKey: string;
  /** default https://openapi.alipay.com/gateway.do */
  gateway?: string;
  /** the store and terminal as Alipay's bill shows them */
  storeId?: string | null;
  terminalId?: string | null;
  /** one HTTP request's limit */
  requestTimeoutMs: number;
}

type Answer = AlipaySdkCommonResult & { code: string };

/** connection errors that happen before anything is sent */
const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

function notSent(e: unknown): boolean {
  let cur: unknown = e;
  for (let depth = 0; cur && depth < 5; depth++) {
    const code = (cur as { code?: unknown }).code;
    if (typeof code === 'string' && NOT_SENT.has(code)) return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return false;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function flat(a: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(a)) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
  return out;
}

export class AlipayProvider implements PaymentProvider {
  readonly kind = 'live' as const;
  readonly timeoutMs: number;
  readonly pollMs: number;
  private readonly sdk: AlipaySdk;

  constructor(
    private readonly cfg: AlipayConfig,
    private readonly loop: ProviderLoop,
  ) {
    this.timeoutMs = loop.timeoutMs;
    this.pollMs = loop.pollMs;
    this.sdk = new AlipaySdk({
      appId: cfg.appId,
      privateKey: cfg.privateKey,
      keyType: /BEGIN RSA PRIVATE KEY/.test(cfg.privateKey) ? 'PKCS1' : 'PKCS8',
      alipayPublicKey: cfg.alipayPublicKey,
      gateway: cfg.gateway ?? ALIPAY_GATEWAY,
      timeout: cfg.requestTimeoutMs,
      signType: 'RSA2',
      camelcase: false,
    });
  }

  accepts(provider: PaymentProviderName): boolean {
    return provider === 'alipay';
  }

  private trace(t: Omit<PaymentTrace, 'provider'>): void {
    this.loop.trace?.({ provider: 'alipay', ...t });
  }

  /** one signed call; the answer's signature is verified by the SDK, or it throws */
  private async call(method: string, biz: Record<string, string>): Promise<Answer> {
    const shown = { ...biz, ...(biz.auth_code ? { auth_code: maskCode(biz.auth_code) } : {}) };
    let a: AlipaySdkCommonResult;
    try {
      a = await this.sdk.exec(method, { bizContent: biz }, { validateSign: true });
    } catch (e) {
      const why = e instanceof AlipayRequestError && /验签|sign/i.test(e.message) ? 'the answer is not signed by Alipay for this app: ignored' : `no answer: ${e instanceof Error ? e.message : String(e)}`;
      this.trace({ api: method, request: shown, response: null, outcome: why });
      throw e;
    }
    const answer = a as Answer;
    this.trace({ api: method, request: shown, response: flat(answer), outcome: answer.code === '10000' ? 'Success' : `${answer.code}${answer.sub_code ? ` ${answer.sub_code}` : ''}: ${String(answer.sub_msg ?? answer.msg).trim()}` });
    return answer;
  }

  /** a paid answer for another order or amount is not this payment: unknown, so the loop ends by cancelling it, never by keeping or forgetting it */
  private paid(a: Answer, order: OrderRef): PaymentAnswer {
    const total = fenOf(str(a.total_amount));
    if (str(a.out_trade_no) !== order.orderId || total !== order.amount) {
      this.trace({ api: 'check', request: { out_trade_no: order.orderId, total_amount: yuan(order.amount) }, response: null, outcome: `paid as order ${str(a.out_trade_no) ?? '?'} of ${str(a.total_amount) ?? '?'} yuan: not this payment, treated as unknown` });
      return { status: 'pending' };
    }
    return { status: 'approved', reference: str(a.trade_no) ?? order.orderId, paidAt: cstToIso(str(a.gmt_payment) ?? str(a.send_pay_date)) };
  }

  private refused(a: Answer, what: string): { status: 'declined'; reason: ReturnType<typeof alipayReason>; message: string } {
    return { status: 'declined', reason: alipayReason(a.code, a.sub_code), message: `Alipay ${what}: ${a.code} ${a.sub_code ?? ''} ${a.sub_msg ?? a.msg}` };
  }

  async pay(req: PaymentRequest): Promise<PaymentAnswer> {
    let a: Answer;
    try {
      a = await this.call('alipay.trade.pay', {
        out_trade_no: req.orderId,
        scene: 'bar_code',
        auth_code: req.code,
        product_code: 'FACE_TO_FACE_PAYMENT',
        subject: [...req.description].slice(0, 40).join(''),
        total_amount: yuan(req.amount),
        ...(this.cfg.storeId ? { store_id: this.cfg.storeId } : {}),
        ...(this.cfg.terminalId ? { terminal_id: this.cfg.terminalId } : {}),
      });
    } catch (e) {
      if (notSent(e)) return { status: 'declined', reason: 'provider-unreachable', message: `Alipay could not be reached: ${e instanceof Error ? e.message : String(e)}` };
      return { status: 'pending' };
    }
    const order = { orderId: req.orderId, provider: req.provider, amount: req.amount };
    if (a.code === '10000') return this.paid(a, order);
    if (a.code === '10003' || a.code === '20000') return { status: 'pending' };
    if (a.code === '40004' && (a.sub_code === 'ACQ.SYSTEM_ERROR' || a.sub_code === 'ACQ.TRADE_HAS_SUCCESS')) return { status: 'pending' };
    return this.refused(a, 'declined');
  }

  async query(order: OrderRef): Promise<PaymentAnswer> {
    const a = await this.call('alipay.trade.query', { out_trade_no: order.orderId });
    if (a.code === '10000') {
      switch (str(a.trade_status)) {
        case 'TRADE_SUCCESS':
        case 'TRADE_FINISHED':
          return this.paid(a, order);
        case 'TRADE_CLOSED':
          return { status: 'declined', reason: 'order-closed', message: 'Alipay order TRADE_CLOSED' };
        default:
          return { status: 'pending' };
      }
    }
    if (a.code === '20000' || (a.code === '40004' && (a.sub_code === 'ACQ.TRADE_NOT_EXIST' || a.sub_code === 'ACQ.SYSTEM_ERROR'))) return { status: 'pending' };
    throw new PaymentProviderError(`Alipay query: ${a.code} ${a.sub_code ?? ''} ${a.sub_msg ?? a.msg}`, alipayReason(a.code, a.sub_code), a.sub_code ?? a.code);
  }

  async revoke({ orderId }: OrderRef): Promise<void> {
    let last = 'no answer';
    for (let attempt = 1; attempt <= this.loop.revokeAttempts; attempt++) {
      if (attempt > 1) await this.loop.sleep(this.pollMs);
      let a: Answer;
      try {
        a = await this.call('alipay.trade.cancel', { out_trade_no: orderId });
      } catch (e) {
        last = e instanceof Error ? e.message : String(e);
        continue;
      }
      if (a.code === '10000' && str(a.retry_flag) !== 'Y') return;
      // a trade Alipay never received has nothing to cancel
      if (a.code === '40004' && a.sub_code === 'ACQ.TRADE_NOT_EXIST') return;
      if (str(a.retry_flag) === 'Y' || a.code === '10000' || a.code === '20000' || a.sub_code === 'ACQ.SYSTEM_ERROR') {
        last = `${a.code} ${a.sub_code ?? 'retry_flag=Y'}`;
        continue;
      }
      throw new PaymentProviderError(`Alipay could not cancel ${orderId}: ${a.code} ${a.sub_code ?? ''} ${a.sub_msg ?? a.msg}`, alipayReason(a.code, a.sub_code), a.sub_code ?? a.code);
    }
    throw new PaymentProviderError(`Alipay did not confirm the cancel of ${orderId} after ${this.loop.revokeAttempts} tries (${last})`, 'provider-error');
  }

  async refund(req: RefundRequest): Promise<RefundAnswer> {
    let a: Answer;
    try {
      a = await this.call('alipay.trade.refund', {
        out_trade_no: req.orderId,
        out_request_no: req.refundId,
        refund_amount: yuan(req.amount),
        ...(req.reason ? { refund_reason: [...req.reason].slice(0, 80).join('') } : {}),
      });
    } catch (e) {
      return notSent(e) ? { status: 'absent' } : { status: 'pending' };
    }
    if (a.code === '10000') return { status: 'refunded', reference: str(a.trade_no) ?? null, settled: true };
    if (a.code === '20000' || a.sub_code === 'ACQ.SYSTEM_ERROR') return { status: 'pending' };
    return this.refused(a, 'refused the refund');
  }

  async queryRefund(req: RefundRequest): Promise<RefundAnswer> {
    const a = await this.call('alipay.trade.fastpay.refund.query', { out_trade_no: req.orderId, out_request_no: req.refundId });
    if (a.code === '10000') {
      if (str(a.out_request_no) !== req.refundId || str(a.refund_amount) === undefined) return { status: 'absent' };
      if (fenOf(str(a.refund_amount)) !== req.amount) {
        return { status: 'declined', reason: 'refund-mismatch', message: `Alipay has refund ${req.refundId} for ${str(a.refund_amount) ?? '?'} yuan, not ${yuan(req.amount)}` };
      }
      const status = str(a.refund_status);
      if (!status || status === 'REFUND_SUCCESS') return { status: 'refunded', reference: str(a.trade_no) ?? null, settled: true };
      return { status: 'pending' };
    }
    if (a.code === '40004' && a.sub_code === 'ACQ.TRADE_NOT_EXIST') return { status: 'absent' };
    if (a.code === '20000' || a.sub_code === 'ACQ.SYSTEM_ERROR') return { status: 'pending' };
    throw new PaymentProviderError(`Alipay refund query: ${a.code} ${a.sub_code ?? ''} ${a.sub_msg ?? a.msg}`, alipayReason(a.code, a.sub_code), a.sub_code ?? a.code);
  }
}
