/** The real payment-code providers and what they share: import from here. */
export { WechatPayProvider, WECHAT_PAY_API, type WechatPayConfig } from './wechat-pay';
export { AlipayProvider, ALIPAY_GATEWAY, type AlipayConfig } from './alipay';
export { RoutedPayments } from './router';
export { PaymentProviderError, maskCode, type PaymentTrace, type ProviderLoop } from './provider-common';
export { ProviderTransportError, type ClientCertificate } from './http';
