/**
 * Scanned-code classification.
 *
 * GS1 check digit (EAN-8, UPC-A, EAN-13, and the 18-digit scale labels): from
 * the rightmost data digit leftwards, weights 3,1,3,1...; the check digit
 * brings the weighted sum up to a multiple of 10.
 *
 * UPC-E (8 digits: number system 0/1, six digits d1..d6, check) expands to
 * UPC-A by d6: 0-2 -> NS d1 d2 d6 0000 d3 d4 d5; 3 -> NS d1 d2 d3 00000 d4 d5;
 * 4 -> NS d1 d2 d3 d4 00000 d5; 5-9 -> NS d1..d5 0000 d6; the check digit is
 * the UPC-A one. An 8-digit code can be both a valid EAN-8 and a valid UPC-E,
 * so it yields both candidates (EAN-8 first) and the catalog decides.
 *
 * Codes are classified in this order: the store's 18-digit scale layout and
 * 13-digit price/weight layouts (prefix 2x, restricted circulation), customer
 * payment codes (WeChat 18 digits 10-15, Alipay 16-24 digits 25-30, UnionPay
 * 19 digits 62), then GTINs. Anything else is 'invalid' with a reason.
 */
import type { PaymentProviderName } from '../shared/contract/cart';
import type { StoreSettings } from '../shared/contract/catalog';

export type ScanCode =
  /** candidates are normalised GTINs: 13 digits (UPC-A with a leading 0) or 8 digits */
  | { kind: 'gtin'; symbology: 'EAN-13' | 'EAN-8' | 'UPC-A' | 'UPC-E'; candidates: string[] }
  | { kind: 'embedded'; plu: string; value: 'price' | 'weight'; amount: number }
  | { kind: 'scale'; plu: string; amount: number; grams: number }
  | { kind: 'payment'; provider: PaymentProviderName }
  | { kind: 'invalid'; reason: string };

const DIGITS = /^\d+$/;

/** GS1 mod-10 check digit of the data digits (everything but the check digit) */
export function gs1CheckDigit(data: string): number {
  if (!DIGITS.test(data)) throw new TypeError(`not digits: '${data}'`);
  let sum = 0;
  for (let i = data.length - 1, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) sum += (data.charCodeAt(i) - 48) * w;
  return (10 - (sum % 10)) % 10;
}

export function hasValidCheckDigit(code: string): boolean {
  return code.length >= 2 && DIGITS.test(code) && gs1CheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

/** appends the GS1 check digit */
export function withCheckDigit(data: string): string {
  return data + String(gs1CheckDigit(data));
}

/** UPC-E (8 digits, or the 6 core digits with number system 0) -> 12-digit UPC-A; null when it is not a UPC-E */
export function expandUpcE(code: string): string | null {
  let ns: string;
  let d: string;
  let check: string | null;
  if (/^\d{6}$/.test(code)) {
    ns = '0';
    d = code;
    check = null;
  } else if (/^[01]\d{7}$/.test(code)) {
    ns = code[0] as string;
    d = code.slice(1, 7);
    check = code[7] as string;
  } else return null;
  const last = d[5] as string;
  let body: string;
  if (last <= '2') body = d.slice(0, 2) + last + '0000' + d.slice(2, 5);
  else if (last === '3') body = d.slice(0, 3) + '00000' + d.slice(3, 5);
  else if (last === '4') body = d.slice(0, 4) + '00000' + d[4];
  else body = d.slice(0, 5) + '0000' + last;
  const upcA = withCheckDigit(ns + body);
  if (check !== null && upcA[11] !== check) return null;
  return upcA;
}

/** the GTIN forms a catalog stores: UPC-A as 13 digits with a leading 0 */
export function normaliseGtin(code: string): string | null {
  if (!DIGITS.test(code) || !hasValidCheckDigit(code)) return null;
  if (code.length === 13 || code.length === 8) return code;
  if (code.length === 12) return '0' + code;
  if (code.length === 14 && code.startsWith('0')) return code.slice(1);
  return null;
}

export function classifyPaymentCode(code: string): PaymentProviderName | null {
  if (!DIGITS.test(code)) return null;
  const p2 = Number(code.slice(0, 2));
  if (code.length === 18 && p2 >= 10 && p2 <= 15) return 'wechat';
  if (code.length >= 16 && code.length <= 24 && p2 >= 25 && p2 <= 30) return 'alipay';
  if (code.length === 19 && p2 === 62) return 'unionpay';
  return null;
}

type Layouts = Pick<StoreSettings, 'embeddedLayouts' | 'scaleLayout'>;

export function classifyCode(raw: string, layouts: Layouts): ScanCode {
  const code = raw.trim();
  if (!DIGITS.test(code)) return { kind: 'invalid', reason: `'${code.slice(0, 32)}' is not a barcode (digits only)` };

  const scale = layouts.scaleLayout;
  if (scale && code.length === 18 && code.startsWith(scale.prefix)) {
    if (!hasValidCheckDigit(code)) return { kind: 'invalid', reason: 'scale label check digit is wrong: scan it again or key the PLU' };
    let at = scale.prefix.length;
    const plu = code.slice(at, (at += scale.pluDigits));
    const amount = Number(code.slice(at, (at += scale.amountDigits)));
    const grams = Number(code.slice(at, (at += scale.weightDigits)));
    if (grams <= 0) return { kind: 'invalid', reason: 'scale label with zero weight' };
    return { kind: 'scale', plu: stripPlu(plu), amount, grams };
  }

  if (code.length === 13) {
    const layout = layouts.embeddedLayouts.find((l) => code.startsWith(l.prefix));
    if (layout) {
      if (!hasValidCheckDigit(code)) return { kind: 'invalid', reason: 'price label check digit is wrong: scan it again or key the PLU' };
      const at = layout.prefix.length;
      const plu = code.slice(at, at + layout.pluDigits);
      const amount = Number(code.slice(at + layout.pluDigits, at + layout.pluDigits + layout.valueDigits));
      if (amount <= 0) return { kind: 'invalid', reason: `label with zero ${layout.value}` };
      return { kind: 'embedded', plu: stripPlu(plu), value: layout.value, amount };
    }
  }

  const provider = classifyPaymentCode(code);
  if (provider) return { kind: 'payment', provider };

  switch (code.length) {
    case 6: {
      const upcA = expandUpcE(code);
      return upcA ? { kind: 'gtin', symbology: 'UPC-E', candidates: ['0' + upcA] } : badCheck('UPC-E');
    }
    case 8: {
      const candidates: string[] = [];
      if (hasValidCheckDigit(code)) candidates.push(code);
      const upcA = expandUpcE(code);
      if (upcA) candidates.push('0' + upcA);
      if (!candidates.length) return badCheck('EAN-8');
      return { kind: 'gtin', symbology: hasValidCheckDigit(code) ? 'EAN-8' : 'UPC-E', candidates };
    }
    case 12:
      return hasValidCheckDigit(code) ? { kind: 'gtin', symbology: 'UPC-A', candidates: ['0' + code] } : badCheck('UPC-A');
    case 13:
      return hasValidCheckDigit(code) ? { kind: 'gtin', symbology: 'EAN-13', candidates: [code] } : badCheck('EAN-13');
    case 14:
      return code.startsWith('0') && hasValidCheckDigit(code) ? { kind: 'gtin', symbology: 'EAN-13', candidates: [code.slice(1)] } : badCheck('GTIN-14');
    default:
      return { kind: 'invalid', reason: `a ${code.length}-digit code is not a product barcode or a payment code` };
  }
}

function badCheck(symbology: string): ScanCode {
  return { kind: 'invalid', reason: `${symbology} check digit is wrong: scan it again or key the PLU` };
}

/** PLUs are stored without leading zeros ('00123' on a label is PLU '123') */
export function stripPlu(plu: string): string {
  return plu.replace(/^0+(?=\d)/, '');
}
