/**
 * The provider of a till with no payment codes set up (no DATA/payments.json):
 * every code is refused before anything is sent, with a reason the cashier's
 * bundles translate. The sandbox is never a silent default.
 */
import type { PaymentAnswer, PaymentProvider, RefundAnswer } from '../../core/payment';
import { PaymentProviderError } from './provider-common';

export class NoPayments implements PaymentProvider {
  readonly kind = 'none' as const;
  readonly timeoutMs = 30_000;
  readonly pollMs = 5_000;

  accepts(): boolean {
    return false;
  }

  async pay(): Promise<PaymentAnswer> {
    return { status: 'declined', reason: 'provider-not-configured', message: 'payment codes are not set up on this till (DATA/payments.json)' };
  }

  async query(): Promise<PaymentAnswer> {
    throw new PaymentProviderError('payment codes are not set up on this till (DATA/payments.json)', 'provider-not-configured');
  }

  async revoke(): Promise<void> {
    throw new PaymentProviderError('payment codes are not set up on this till (DATA/payments.json)', 'provider-not-configured');
  }

  async refund(): Promise<RefundAnswer> {
    return { status: 'declined', reason: 'provider-not-configured', message: 'payment codes are not set up on this till (DATA/payments.json)' };
  }

  async queryRefund(): Promise<RefundAnswer> {
    throw new PaymentProviderError('payment codes are not set up on this till (DATA/payments.json)', 'provider-not-configured');
  }
}
