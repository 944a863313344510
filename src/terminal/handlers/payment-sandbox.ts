/**
 * The sandbox payment provider: behaves like WeChat Pay / Alipay micropay
 * without a network, so the closed loop (pay, poll, revoke) can be exercised.
 * The outcome comes from the code's last digit unless fixed by config:
 * 0-6 approved at once; 7 pending, approved on the second query (the customer
 * types a password); 8 declined; 9 never confirmed (the loop must revoke).
 * A revoked order never turns approved.
 */
import type { PaymentAnswer, PaymentProvider, PaymentRequest } from '../../core/payment';

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
  readonly timeoutMs: number;
  readonly pollMs: number;
  readonly orders = new Map<string, SandboxOrder>();
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

  async pay(req: PaymentRequest): Promise<PaymentAnswer> {
    if (this.orders.has(req.orderId)) return { status: 'declined', message: 'duplicate order id' };
    const outcome = this.fixed ?? SandboxPaymentProvider.outcomeOf(req.code);
    const order: SandboxOrder = { req, outcome, queries: 0, state: 'pending' };
    this.orders.set(req.orderId, order);
    if (outcome === 'approve') order.state = 'approved';
    if (outcome === 'decline') order.state = 'declined';
    return this.answer(order);
  }

  async query(orderId: string): Promise<PaymentAnswer> {
    const order = this.orders.get(orderId);
    if (!order) return { status: 'declined', message: 'no such order' };
    order.queries++;
    if (order.state === 'pending' && order.outcome === 'slow-approve' && order.queries >= 2) order.state = 'approved';
    return this.answer(order);
  }

  async revoke(orderId: string): Promise<void> {
    const order = this.orders.get(orderId);
    if (order) order.state = 'revoked';
  }

  private answer(o: SandboxOrder): PaymentAnswer {
    switch (o.state) {
      case 'approved':
        return { status: 'approved', reference: `SBX${o.req.orderId}` };
      case 'declined':
        return { status: 'declined', message: 'the customer has too little balance' };
      case 'revoked':
        return { status: 'declined', message: 'the order was revoked' };
      default:
        return { status: 'pending' };
    }
  }
}
