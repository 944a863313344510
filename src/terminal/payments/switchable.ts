/**
 * The terminal's provider when its set-up can change while it runs (the hub
 * delivers a store's payment codes in the catalog): every call goes to the
 * current provider, and the terminal replaces it only between calls (in its
 * call queue), so a payment in progress finishes with the provider it began
 * with.
 */
import type { OrderRef, PaymentAnswer, PaymentProvider, PaymentRequest, RefundAnswer, RefundRequest } from '../../core/payment';
import type { PaymentProviderName } from '../../shared/contract/cart';

export class SwitchablePayments implements PaymentProvider {
  constructor(private current: PaymentProvider) {}

  replace(next: PaymentProvider): void {
    this.current = next;
  }

  get kind(): PaymentProvider['kind'] {
    return this.current.kind;
  }

  get timeoutMs(): number {
    return this.current.timeoutMs;
  }

  get pollMs(): number {
    return this.current.pollMs;
  }

  accepts(provider: PaymentProviderName): boolean {
    return this.current.accepts(provider);
  }

  pay(req: PaymentRequest): Promise<PaymentAnswer> {
    return this.current.pay(req);
  }

  query(order: OrderRef): Promise<PaymentAnswer> {
    return this.current.query(order);
  }

  revoke(order: OrderRef): Promise<void> {
    return this.current.revoke(order);
  }

  refund(req: RefundRequest): Promise<RefundAnswer> {
    return this.current.refund(req);
  }

  queryRefund(req: RefundRequest): Promise<RefundAnswer> {
    return this.current.queryRefund(req);
  }
}
