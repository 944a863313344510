/**
 * What the provider stubs share: the scripts a test can give the next
 * payment, and the provider's own ledger of money moved (charges, reversals,
 * refunds), so a test can assert that the customer was charged exactly once
 * or not at all, whatever the till believed.
 */
export type StubScript =
  /** charged at once */
  | 'paid'
  /** the customer confirms on the phone: pending, paid after `payingQueries` queries */
  | 'user-paying-then-paid'
  /** the customer never confirms */
  | 'user-paying-then-timeout'
  /** charged, but the answer is a system error: the query finds it paid */
  | 'system-error-then-paid'
  /** the customer's balance is too low */
  | 'declined'
  /** charged, then the connection is dropped without an answer */
  | 'drop-after-charge';

export type RefundScript =
  /** refunded at once */
  | 'ok'
  /** refunded, but the answer is a system error */
  | 'system-error-after-refund'
  /** refunded, then the connection is dropped */
  | 'drop-after-refund';

export interface Movement {
  kind: 'charge' | 'reversal' | 'refund';
  orderId: string;
  /** fen; reversals and refunds are positive amounts paid back */
  amount: number;
  refundId: string | null;
}

export class StubLedger {
  readonly movements: Movement[] = [];
  private readonly scripts: StubScript[] = [];
  private readonly refundScripts: RefundScript[] = [];

  /** scripts for the next payments, in order; after them every payment is 'paid' */
  next(...s: StubScript[]): void {
    this.scripts.push(...s);
  }

  nextRefund(...s: RefundScript[]): void {
    this.refundScripts.push(...s);
  }

  takeScript(): StubScript {
    return this.scripts.shift() ?? 'paid';
  }

  takeRefundScript(): RefundScript {
    return this.refundScripts.shift() ?? 'ok';
  }

  /** told of every movement as it is recorded (a test can take the provider down right after) */
  onRecord: ((m: Movement) => void) | null = null;

  record(m: Movement): void {
    this.movements.push(m);
    this.onRecord?.(m);
  }

  charges(orderId?: string): Movement[] {
    return this.movements.filter((m) => m.kind === 'charge' && (orderId === undefined || m.orderId === orderId));
  }

  /** what the customer is out of pocket: charges minus everything paid back */
  net(orderId?: string): number {
    return this.movements.filter((m) => orderId === undefined || m.orderId === orderId).reduce((s, m) => s + (m.kind === 'charge' ? m.amount : -m.amount), 0);
  }

  paidBack(orderId: string): number {
    return this.movements.filter((m) => m.orderId === orderId && m.kind !== 'charge').reduce((s, m) => s + m.amount, 0);
  }
}
