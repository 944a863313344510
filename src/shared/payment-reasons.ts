/**
 * Why a payment-code provider refused or could not finish a payment or a
 * refund. Each provider's own error codes (WeChat Pay err_code, Alipay
 * sub_code) map to one of these in src/terminal/payments; a refusal reaches
 * the cashier as a TillError whose details carry `reason`, and the cashier's
 * bundles (zh-CN, English) have a sentence for every reason. Never renamed
 * once released: the UI branches on them.
 */
export const PAYMENT_REASONS = [
  /** the customer's balance or bank card cannot cover the amount */
  'balance-insufficient',
  /** the payment code has expired: the customer refreshes it */
  'code-expired',
  /** the code is not a valid payment code of this provider */
  'code-invalid',
  /** the customer's chosen card or funding source cannot pay here */
  'card-unsupported',
  /** a daily, monthly or per-payment limit of the customer's account */
  'limit-exceeded',
  /** the customer's account is restricted or needs verification */
  'buyer-account-problem',
  /** the provider's risk control refused this payment */
  'risk-declined',
  /** the order was closed or reversed and can no longer be paid */
  'order-closed',
  /** the merchant order number was used before with other details */
  'order-duplicate',
  /** merchant id, app id, key, certificate or permission is wrong: IT staff */
  'merchant-config',
  /** the provider found the request malformed */
  'request-invalid',
  /** the provider could not be reached; nothing was sent */
  'provider-unreachable',
  /** the provider failed without saying why */
  'provider-error',
  /** no provider is configured for this kind of payment code */
  'provider-not-configured',
  /** the refund is larger than what is left of the payment */
  'refund-exceeds',
  /** the payment is too old to be refunded or reversed through the provider */
  'refund-expired',
  /** the merchant's provider account has too little to refund */
  'merchant-balance-insufficient',
  /** a refund with the same number was asked before with another amount */
  'refund-mismatch',
  /** the provider closed the refund (for example the customer's card was cancelled) */
  'refund-abnormal',
  /** the provider has no such payment */
  'order-not-found',
] as const;

export type PaymentReason = (typeof PAYMENT_REASONS)[number];

export function isPaymentReason(v: unknown): v is PaymentReason {
  return typeof v === 'string' && (PAYMENT_REASONS as readonly string[]).includes(v);
}
