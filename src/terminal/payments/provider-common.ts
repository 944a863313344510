/**
 * What the real providers share: the typed error a revoke throws when the
 * provider could not confirm it, the trace of each step (for `till payments
 * test` and the log: the payment code is masked and no key ever appears), the
 * loop settings, and the conversions the protocols need (China Standard Time
 * stamps, yuan strings).
 */
import type { PaymentReason } from '../../shared/payment-reasons';
import { formatMinor, parseMinor } from '../../shared/money';

export class PaymentProviderError extends Error {
  readonly code = 'payment-provider';
  constructor(
    message: string,
    readonly reason: PaymentReason,
    /** the provider's own code (err_code, sub_code), when it gave one */
    readonly providerCode: string | null = null,
  ) {
    super(message);
    this.name = 'PaymentProviderError';
  }
}

export interface PaymentTrace {
  provider: 'wechat' | 'alipay';
  /** the endpoint or method, e.g. /pay/micropay or alipay.trade.pay */
  api: string;
  request: Record<string, string>;
  /** null when no answer came */
  response: Record<string, string> | null;
  /** what the till made of it, in a few words */
  outcome: string;
}

export interface ProviderLoop {
  /** how long an unconfirmed payment stays open before it is revoked (WeChat Pay advises 30 s) */
  timeoutMs: number;
  pollMs: number;
  /** how many times a revoke the provider asks to repeat (recall / retry_flag, or no answer) is sent */
  revokeAttempts: number;
  sleep: (ms: number) => Promise<void>;
  trace?: ((t: PaymentTrace) => void) | undefined;
}

/** 134567890123456789 -> 1345**********6789: enough to tell codes apart in a log, useless to pay with */
export function maskCode(code: string): string {
  if (code.length <= 8) return '*'.repeat(code.length);
  return `${code.slice(0, 4)}${'*'.repeat(code.length - 8)}${code.slice(-4)}`;
}

const CST_OFFSET_MS = 8 * 3600_000;

/** yyyyMMddHHmmss or yyyy-MM-dd HH:mm:ss in China Standard Time -> ISO UTC; null when absent or malformed */
export function cstToIso(s: string | undefined): string | null {
  const m = s ? /^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})$/.exec(s) : null;
  if (!m) return null;
  const [, y, mo, d, h, mi, se] = m.map(Number) as [number, number, number, number, number, number, number];
  const t = Date.UTC(y, mo - 1, d, h, mi, se) - CST_OFFSET_MS;
  return Number.isFinite(t) ? new Date(t).toISOString() : null;
}

/** fen -> "12.34", the yuan amount Alipay expects */
export function yuan(fen: number): string {
  return formatMinor(fen);
}

/** "12.34" -> 1234; null when it is not an amount */
export function fenOf(s: string | undefined): number | null {
  if (s === undefined) return null;
  try {
    return parseMinor(s);
  } catch {
    return null;
  }
}
