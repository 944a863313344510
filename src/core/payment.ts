/**
 * Payment codes (付款码) and the closed loop of the real providers.
 *
 * The provider is asked to charge the code. It answers approved, declined or
 * pending (the customer is still confirming, or the answer was lost: both are
 * unknown results, never assumed either way). While pending, the order is
 * queried every `pollMs`; an error while querying counts as still pending.
 * When the provider's timeout passes without an answer the order is revoked
 * (撤销: WeChat Pay reverse, Alipay cancel), so a payment can never be
 * confirmed after the till gave up on it, and the cashier is told it timed
 * out.
 *
 * Refunds follow the same shape: the refund carries the till's own refund
 * number, so asking again with the same number can never pay back twice. An
 * unknown answer is queried; a refund the provider never received is sent
 * again with the same number until the deadline, after which the result is
 * 'unknown' and the caller keeps the number for the next try.
 *
 * Clock and sleep are injected; the real providers (src/terminal/payments)
 * and the sandbox implement PaymentProvider.
 */
import type { PaymentProviderName } from '../shared/contract/cart';
import type { PaymentReason } from '../shared/payment-reasons';

export interface PaymentRequest {
  /** the merchant order number (WeChat out_trade_no, Alipay out_trade_no) */
  orderId: string;
  provider: PaymentProviderName;
  /** the customer's payment code (auth_code): a one-time credential, never journaled */
  code: string;
  /** fen */
  amount: number;
  description: string;
}

/** an order the till asked for: enough to query or revoke it and to check what the provider says about it */
export interface OrderRef {
  orderId: string;
  provider: PaymentProviderName;
  /** fen */
  amount: number;
}

export type PaymentAnswer =
  /** reference: the provider's own transaction number; paidAt: when it says the customer paid (ISO, UTC) */
  | { status: 'approved'; reference: string; paidAt: string | null }
  | { status: 'declined'; reason: PaymentReason; message: string }
  | { status: 'pending' };

export interface RefundRequest {
  /** the till's refund number (WeChat out_refund_no, Alipay out_request_no): the same for every retry */
  refundId: string;
  /** the original payment's merchant order number */
  orderId: string;
  provider: PaymentProviderName;
  /** this refund, fen */
  amount: number;
  /** the original payment, fen */
  total: number;
  reason: string;
}

export type RefundAnswer =
  /** settled: the provider says the money is back; false while it is still on its way (accepted) */
  | { status: 'refunded'; reference: string | null; settled: boolean }
  | { status: 'declined'; reason: PaymentReason; message: string }
  /** unknown, or still being processed */
  | { status: 'pending' }
  /** the provider never received this refund: sending it again with the same number is safe */
  | { status: 'absent' };

export interface PaymentProvider {
  /** 'sandbox' pays nothing real; 'live' talks to WeChat Pay / Alipay; 'none': payment codes are not set up */
  readonly kind: 'sandbox' | 'live' | 'none';
  /** how long an unconfirmed payment may stay open before it is revoked */
  readonly timeoutMs: number;
  readonly pollMs: number;
  /** whether codes of this provider can be charged here */
  accepts(provider: PaymentProviderName): boolean;
  pay(req: PaymentRequest): Promise<PaymentAnswer>;
  query(order: OrderRef): Promise<PaymentAnswer>;
  /** cancel an order that is not confirmed (or reverse one that was): after this it can never be charged; throws when that is not certain */
  revoke(order: OrderRef): Promise<void>;
  refund(req: RefundRequest): Promise<RefundAnswer>;
  queryRefund(req: RefundRequest): Promise<RefundAnswer>;
}

export type PaymentOutcome =
  | { kind: 'approved'; reference: string; paidAt: string | null }
  | { kind: 'declined'; reason: PaymentReason; message: string }
  | { kind: 'timeout' }
  | { kind: 'revoke-failed'; message: string };

export interface LoopDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export async function collectPayment(provider: PaymentProvider, req: PaymentRequest, deps: LoopDeps): Promise<PaymentOutcome> {
  const order: OrderRef = { orderId: req.orderId, provider: req.provider, amount: req.amount };
  const deadline = deps.now() + provider.timeoutMs;
  let answer: PaymentAnswer;
  try {
    answer = await provider.pay(req);
  } catch {
    answer = { status: 'pending' };
  }
  while (answer.status === 'pending' && deps.now() < deadline) {
    await deps.sleep(Math.min(provider.pollMs, Math.max(0, deadline - deps.now())));
    try {
      answer = await provider.query(order);
    } catch {
      answer = { status: 'pending' };
    }
  }
  if (answer.status === 'approved') return { kind: 'approved', reference: answer.reference, paidAt: answer.paidAt };
  if (answer.status === 'declined') return { kind: 'declined', reason: answer.reason, message: answer.message };
  try {
    await provider.revoke(order);
  } catch (e) {
    return { kind: 'revoke-failed', message: e instanceof Error ? e.message : String(e) };
  }
  return { kind: 'timeout' };
}

export type RefundOutcome =
  | { kind: 'refunded'; reference: string | null; settled: boolean }
  | { kind: 'declined'; reason: PaymentReason; message: string }
  /** no certain answer before the deadline: keep the refund number and ask again later */
  | { kind: 'unknown' };

export async function collectRefund(provider: PaymentProvider, req: RefundRequest, deps: LoopDeps): Promise<RefundOutcome> {
  const deadline = deps.now() + provider.timeoutMs;
  const ask = async (f: () => Promise<RefundAnswer>): Promise<RefundAnswer> => {
    try {
      return await f();
    } catch {
      return { status: 'pending' };
    }
  };
  let answer = await ask(() => provider.refund(req));
  while ((answer.status === 'pending' || answer.status === 'absent') && deps.now() < deadline) {
    await deps.sleep(Math.min(provider.pollMs, Math.max(0, deadline - deps.now())));
    answer = answer.status === 'absent' ? await ask(() => provider.refund(req)) : await ask(() => provider.queryRefund(req));
  }
  if (answer.status === 'refunded') return { kind: 'refunded', reference: answer.reference, settled: answer.settled };
  if (answer.status === 'declined') return { kind: 'declined', reason: answer.reason, message: answer.message };
  return { kind: 'unknown' };
}
