/** Which payment codes this till takes, for the status bar and the log: no secrets, only the mode and the providers. */
import type { PaymentProvider } from '../../core/payment';
import type { PaymentProviderName } from '../../shared/contract/cart';

export interface PaymentsSummary {
  mode: 'live' | 'sandbox' | 'none';
  providers: PaymentProviderName[];
}

export function paymentsSummary(p: PaymentProvider): PaymentsSummary {
  return { mode: p.kind, providers: (['wechat', 'alipay', 'unionpay'] as const).filter((n) => p.accepts(n)) };
}
