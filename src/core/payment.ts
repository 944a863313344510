/**
 * Payment codes (付款码) and the closed loop of the real providers.
 *
 * The provider is asked to charge the code. It answers approved, declined or
 * pending (the customer is still confirming, or the answer was lost). While
 * pending, the order is polled every `pollMs`; an error while polling counts
 * as still pending. When the provider's timeout passes without an answer the
 * order is revoked (撤销), so a payment can never be confirmed after the till
 * gave up on it, and the cashier is told it timed out. Clock and sleep are
 * injected; the real and the sandbox provider implement PaymentProvider.
 */
import type { PaymentProviderName } from '../shared/contract/cart';

export interface PaymentRequest {
  orderId: string;
  provider: PaymentProviderName;
  code: string;
  amount: number;
  description: string;
}

export type PaymentAnswer =
  | { status: 'approved'; reference: string }
  | { status: 'declined'; message: string }
  | { status: 'pending' };

export interface PaymentProvider {
  /** how long an unconfirmed payment may stay open before it is revoked */
  readonly timeoutMs: number;
  readonly pollMs: number;
  pay(req: PaymentRequest): Promise<PaymentAnswer>;
  query(orderId: string): Promise<PaymentAnswer>;
  /** cancel an order that is not confirmed (or reverse one that was): after this it can never be charged */
  revoke(orderId: string): Promise<void>;
}

export type PaymentOutcome =
  | { kind: 'approved'; reference: string }
  | { kind: 'declined'; message: string }
  | { kind: 'timeout' }
  | { kind: 'revoke-failed'; message: string };

export interface LoopDeps {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export async function collectPayment(provider: PaymentProvider, req: PaymentRequest, deps: LoopDeps): Promise<PaymentOutcome> {
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
      answer = await provider.query(req.orderId);
    } catch {
      answer = { status: 'pending' };
    }
  }
  if (answer.status === 'approved') return { kind: 'approved', reference: answer.reference };
  if (answer.status === 'declined') return { kind: 'declined', message: answer.message };
  try {
    await provider.revoke(req.orderId);
  } catch (e) {
    return { kind: 'revoke-failed', message: e instanceof Error ? e.message : String(e) };
  }
  return { kind: 'timeout' };
}
