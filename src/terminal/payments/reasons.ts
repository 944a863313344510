/**
 * The providers' documented error codes, mapped to the reasons the cashier's
 * bundles translate (src/shared/payment-reasons.ts). A code not listed maps to
 * 'provider-error'; the provider's own code and message still go into the
 * TillError's English detail and the log for IT staff.
 *
 * WeChat Pay API v2: err_code of /pay/micropay, /pay/orderquery,
 * /secapi/pay/reverse, /secapi/pay/refund and /pay/refundquery (the same code
 * can mean different things per API: NOTENOUGH is the customer's balance on
 * micropay and the merchant's on refund).
 * Alipay OpenAPI 2.0: the public codes (20000, 40001, 40002, 40004, 40006)
 * and the ACQ.* sub_codes of alipay.trade.pay / query / cancel / refund /
 * fastpay.refund.query.
 */
import type { PaymentReason } from '../../shared/payment-reasons';

const WECHAT_COMMON: Record<string, PaymentReason> = {
  NOAUTH: 'merchant-config',
  SIGNERROR: 'merchant-config',
  APPID_NOT_EXIST: 'merchant-config',
  MCHID_NOT_EXIST: 'merchant-config',
  APPID_MCHID_NOT_MATCH: 'merchant-config',
  CERT_ERROR: 'merchant-config',
  PARAM_ERROR: 'request-invalid',
  LACK_PARAMS: 'request-invalid',
  XML_FORMAT_ERROR: 'request-invalid',
  NOT_UTF8: 'request-invalid',
  REQUIRE_POST_METHOD: 'request-invalid',
  INVALID_REQUEST: 'request-invalid',
  INVALID_TRANSACTIONID: 'order-not-found',
  ORDERNOTEXIST: 'order-not-found',
  FREQUENCY_LIMITED: 'provider-error',
  INVALID_REQ_TOO_MUCH: 'provider-error',
  SYSTEMERROR: 'provider-error',
};

const WECHAT_PAY: Record<string, PaymentReason> = {
  NOTENOUGH: 'balance-insufficient',
  AUTHCODEEXPIRE: 'code-expired',
  AUTH_CODE_ERROR: 'code-invalid',
  AUTH_CODE_INVALID: 'code-invalid',
  NOTSUPORTCARD: 'card-unsupported',
  BUYER_MISMATCH: 'buyer-account-problem',
  TRADE_ERROR: 'risk-declined',
  ORDERCLOSED: 'order-closed',
  ORDERREVERSED: 'order-closed',
  ORDERPAID: 'order-duplicate',
  OUT_TRADE_NO_USED: 'order-duplicate',
};

const WECHAT_REFUND: Record<string, PaymentReason> = {
  NOTENOUGH: 'merchant-balance-insufficient',
  TRADE_OVERDUE: 'refund-expired',
  REVERSE_EXPIRE: 'refund-expired',
  REFUND_FEE_MISMATCH: 'refund-mismatch',
  USER_ACCOUNT_ABNORMAL: 'buyer-account-problem',
  ERROR: 'provider-error',
  REFUNDNOTEXIST: 'order-not-found',
};

export function wechatReason(errCode: string, api: 'pay' | 'refund'): PaymentReason {
  return (api === 'pay' ? WECHAT_PAY[errCode] : WECHAT_REFUND[errCode]) ?? WECHAT_COMMON[errCode] ?? 'provider-error';
}

/** return_code FAIL: the gateway refused the message itself (its return_msg says why) */
export function wechatReturnReason(returnMsg: string): PaymentReason {
  if (/签名|sign/i.test(returnMsg)) return 'merchant-config';
  if (/证书|cert/i.test(returnMsg)) return 'merchant-config';
  if (/refund_fee|退款金额/i.test(returnMsg)) return 'refund-exceeds';
  return 'request-invalid';
}

const ALIPAY_SUB: Record<string, PaymentReason> = {
  'ACQ.BUYER_BALANCE_NOT_ENOUGH': 'balance-insufficient',
  'ACQ.BUYER_BANKCARD_BALANCE_NOT_ENOUGH': 'balance-insufficient',
  'ACQ.PAYMENT_AUTH_CODE_INVALID': 'code-invalid',
  'ACQ.ERROR_BALANCE_PAYMENT_DISABLE': 'card-unsupported',
  'ACQ.NO_PAYMENT_INSTRUMENTS_AVAILABLE': 'card-unsupported',
  'ACQ.CARD_TYPE_ERROR': 'card-unsupported',
  'ACQ.BUYER_PAYMENT_AMOUNT_DAY_LIMIT_ERROR': 'limit-exceeded',
  'ACQ.BUYER_PAYMENT_AMOUNT_MONTH_LIMIT_ERROR': 'limit-exceeded',
  'ACQ.BEYOND_PAY_RESTRICTION': 'limit-exceeded',
  'ACQ.BEYOND_PER_RECEIPT_RESTRICTION': 'limit-exceeded',
  'ACQ.TOTAL_FEE_EXCEED': 'limit-exceeded',
  'ACQ.BUYER_ENABLE_STATUS_FORBID': 'buyer-account-problem',
  'ACQ.ERROR_BUYER_CERTIFY_LEVEL_LIMIT': 'buyer-account-problem',
  'ACQ.BUYER_SELLER_EQUAL': 'buyer-account-problem',
  'ACQ.TRADE_BUYER_NOT_MATCH': 'buyer-account-problem',
  'ACQ.PAYMENT_REQUEST_HAS_RISK': 'risk-declined',
  'ACQ.PAYMENT_FAIL': 'risk-declined',
  'ACQ.TRADE_HAS_CLOSE': 'order-closed',
  'ACQ.TRADE_HAS_SUCCESS': 'order-duplicate',
  'ACQ.CONTEXT_INCONSISTENT': 'order-duplicate',
  'ACQ.ACCESS_FORBIDDEN': 'merchant-config',
  'ACQ.PARTNER_ERROR': 'merchant-config',
  'ACQ.SELLER_BEEN_BLOCKED': 'merchant-config',
  'ACQ.INVALID_STORE_ID': 'merchant-config',
  'ACQ.INVALID_PARAMETER': 'request-invalid',
  'ACQ.EXIST_FORBIDDEN_WORD': 'request-invalid',
  'ACQ.TRADE_NOT_EXIST': 'order-not-found',
  'ACQ.SELLER_BALANCE_NOT_ENOUGH': 'merchant-balance-insufficient',
  'ACQ.REFUND_AMT_NOT_EQUAL_TOTAL': 'refund-exceeds',
  'ACQ.REFUND_AMT_RESTRICTION': 'refund-exceeds',
  'ACQ.TRADE_HAS_FINISHED': 'refund-expired',
  'ACQ.TRADE_STATUS_ERROR': 'order-closed',
  'ACQ.REASON_TRADE_BEEN_FREEZEN': 'provider-error',
  'ACQ.SYSTEM_ERROR': 'provider-error',
};

export function alipayReason(code: string, subCode: string | undefined): PaymentReason {
  const sub = subCode ? ALIPAY_SUB[subCode] : undefined;
  if (sub) return sub;
  if (subCode?.startsWith('isv.invalid-signature') || subCode?.startsWith('isv.invalid-app-id') || subCode === 'isv.invalid-app-auth-token') return 'merchant-config';
  if (code === '40006' || code === '20001') return 'merchant-config';
  if (code === '40001' || code === '40002') return 'request-invalid';
  return 'provider-error';
}
