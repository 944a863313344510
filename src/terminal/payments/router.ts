/**
 * The terminal's one PaymentProvider in front of the configured real ones:
 * each payment code goes to the provider of its kind (by the code's prefix,
 * src/core/barcode), and each query, revoke and refund to the provider of the
 * order. A code whose provider is not configured (UnionPay today, or a store
 * with only one of the two) is refused before anything is sent.
 */
import type { OrderRef, PaymentAnswer, PaymentProvider, PaymentRequest, RefundAnswer, RefundRequest } from '../../core/payment';
import type { PaymentProviderName } from '../../shared/contract/cart';
import { PaymentProviderError } from './provider-common';

export class RoutedPayments implements PaymentProvider {
  readonly kind = 'live' as const;

  constructor(
    private readonly providers: Partial<Record<PaymentProviderName, PaymentProvider>>,
    readonly timeoutMs: number,
    readonly pollMs: number,
  ) {}

  /** the configured providers, for the status bar and `till payments` */
  names(): PaymentProviderName[] {
    return (Object.keys(this.providers) as PaymentProviderName[]).filter((p) => this.providers[p]);
  }

  accepts(provider: PaymentProviderName): boolean {
    return this.providers[provider] !== undefined;
  }

  private of(provider: PaymentProviderName): PaymentProvider {
    const p = this.providers[provider];
    if (!p) throw new PaymentProviderError(`no ${provider} merchant account is configured on this till`, 'provider-not-configured');
    return p;
  }

  async pay(req: PaymentRequest): Promise<PaymentAnswer> {
    const p = this.providers[req.provider];
    if (!p) return { status: 'declined', reason: 'provider-not-configured', message: `no ${req.provider} merchant account is configured on this till` };
    return p.pay(req);
  }

  query(order: OrderRef): Promise<PaymentAnswer> {
    return this.of(order.provider).query(order);
  }

  revoke(order: OrderRef): Promise<void> {
    return this.of(order.provider).revoke(order);
  }

  refund(req: RefundRequest): Promise<RefundAnswer> {
    return this.of(req.provider).refund(req);
  }

  queryRefund(req: RefundRequest): Promise<RefundAnswer> {
    return this.of(req.provider).queryRefund(req);
  }
}
