/**
 * The sandbox payment provider: behaves like WeChat Pay / Alipay micropay
 * without a network, so the closed loop (pay, poll, revoke) and refunds can be
 * exercised. The outcome comes from the code's last digit unless fixed by
 * config: 0-6 approved at once; 7 pending, approved on the second query (the
 * customer types a password); 8 declined; 9 never confirmed (the loop must
 * revoke). A revoked order never turns approved. Refunds are idempotent by
 * refund number and never exceed what was paid, as the real providers'.
 */
import type { OrderRef, PaymentAnswer, PaymentProvider, PaymentRequest, RefundAnswer, RefundRequest } from '../../core/payment';

export type SandboxOutcome = 'approve' | 'slow-approve' | 'decline' | 'timeout';

export interface SandboxOrder {
  req: PaymentRequest;
  outcome: SandboxOutcome;
  queries: number;
  state: 'pending' | 'approved' | 'declined' | 'revoked';
}

export interface SandboxOptions {
  timeoutMs?: number;
  pollMs?: number;
  /** fixes the outcome for every code */
  outcome?: SandboxOutcome;
}

export class SandboxPaymentProvider implements PaymentProvider {
  readonly kind = 'sandbox' as const;
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly orders = new Map<string, SandboxOrder>();
  /** refund number -> what it paid back */
  readonly refunds = new Map<string, { orderId: string; amount: number }>();
  private readonly fixed: SandboxOutcome | undefined;

  constructor(opts: SandboxOptions = {}) {
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.pollMs = opts.pollMs ?? 1_000;
    this.fixed = opts.outcome;
  }

  static outcomeOf(code: string): SandboxOutcome {
    const d = code.charCodeAt(code.length - 1) - 48;
    if (d === 7) return 'slow-approve';
    if (d === 8) return 'decline';
    if (d === 9) return 'timeout';
    return 'approve';
  }

  accepts(): boolean {
    return true;
  }

  async pay(req: PaymentRequest): Promise<PaymentAnswer> {
    if (this.orders.has(req.orderId)) return { status: 'declined', reason: 'order-duplicate', message: 'duplicate order id' };
    const outcome = this.fixed ?? SandboxPaymentProvider.outcomeOf(req.code);
    const order: SandboxOrder = { req, outcome, queries: 0, state: 'pending' };
    this.orders.set(req.orderId, order);
    if (outcome === 'approve') order.state = 'approved';
    if (outcome === 'decline') order.state = 'declined';
    return this.answer(order);
  }

  async query({ orderId }: OrderRef): Promise<PaymentAnswer> {
    const order = this.orders.get(orderId);
    if (!order) return { status: 'declined', reason: 'order-not-found', message: 'no such order' };
    order.queries++;
    if (order.state === 'pending' && order.outcome === 'slow-approve' && order.queries >= 2) order.state = 'approved';
    return this.answer(order);
  }

  async revoke({ orderId }: OrderRef): Promise<void> {
    const order = this.orders.get(orderId);
    if (order) order.state = 'revoked';
  }

  /** what is left to refund of an order */
  refundable(orderId: string): number {
    const order = this.orders.get(orderId);
    if (!order || order.state !== 'approved') return 0;
    let left = order.req.amount;
    for (const r of this.refunds.values()) if (r.orderId === orderId) left -= r.amount;
    return left;
  }

  async refund(req: RefundRequest): Promise<RefundAnswer> {
    const done = this.refunds.get(req.refundId);
    if (done) {
      if (done.orderId !== req.orderId || done.amount !== req.amount) return { status: 'declined', reason: 'refund-mismatch', message: 'the refund number was used with other details' };
      return { status: 'refunded', reference: `SBXR${req.refundId}`, settled: true };
    }
    const order = this.orders.get(req.orderId);
    if (!order || order.state !== 'approved') return { status: 'declined', reason: 'order-not-found', message: 'no paid order with this number' };
    if (req.amount > this.refundable(req.orderId)) return { status: 'declined', reason: 'refund-exceeds', message: 'more than is left of the payment' };
    this.refunds.set(req.refundId, { orderId: req.orderId, amount: req.amount });
    return { status: 'refunded', reference: `SBXR${req.refundId}`, settled: true };
  }

  async queryRefund(req: RefundRequest): Promise<RefundAnswer> {
    return this.refunds.has(req.refundId) ? { status: 'refunded', reference: `SBXR${req.refundId}`, settled: true } : { status: 'absent' };
  }

  private answer(o: SandboxOrder): PaymentAnswer {
    switch (o.state) {
      case 'approved':
        return { status: 'approved', reference: `SBX${o.req.orderId}`, paidAt: null };
      case 'declined':
        return { status: 'declined', reason: 'balance-insufficient', message: 'the customer has too little balance' };
      case 'revoked':
        return { status: 'declined', reason: 'order-closed', message: 'the order was revoked' };
      default:
        return { status: 'pending' };
    }
  }
}
