/**
 * Money is always an integer count of minor units (fen for CNY). These helpers
 * are the only place where amounts are divided, and they round half-up
 * explicitly, so no float ever reaches an amount.
 */
export type Minor = number;

export function assertMinor(n: number, what = 'amount'): Minor {
  if (!Number.isSafeInteger(n)) throw new TypeError(`${what} must be an integer number of minor units, got ${n}`);
  return n;
}

/** round(a / b) half away from zero, for integers a and b > 0 */
export function divRoundHalfUp(a: number, b: number): number {
  if (!Number.isSafeInteger(a) || !Number.isSafeInteger(b) || b <= 0) throw new TypeError(`divRoundHalfUp(${a}, ${b})`);
  const sign = a < 0 ? -1 : 1;
  const abs = Math.abs(a);
  const q = Math.floor(abs / b);
  const r = abs - q * b;
  return sign * (2 * r >= b ? q + 1 : q);
}

/** amount * numerator / denominator, half-up; basis points use denominator 10000 */
export function mulDivHalfUp(amount: Minor, numerator: number, denominator: number): Minor {
  const p = BigInt(amount) * BigInt(numerator);
  const d = BigInt(denominator);
  if (d <= 0n) throw new TypeError('denominator must be positive');
  const neg = p < 0n;
  const abs = neg ? -p : p;
  let q = abs / d;
  if ((abs % d) * 2n >= d) q += 1n;
  return Number(neg ? -q : q);
}

/** 1234 -> "12.34"; -5 -> "-0.05" */
export function formatMinor(n: Minor, minorDigits = 2): string {
  assertMinor(n);
  const neg = n < 0;
  const s = String(Math.abs(n)).padStart(minorDigits + 1, '0');
  const whole = s.slice(0, s.length - minorDigits);
  const frac = s.slice(s.length - minorDigits);
  return `${neg ? '-' : ''}${whole}${minorDigits > 0 ? '.' + frac : ''}`;
}

/** "12.34" | "12.3" | "12" -> 1234; throws on anything else (no float parsing) */
export function parseMinor(text: string, minorDigits = 2): Minor {
  const m = /^\s*(-)?(\d+)(?:\.(\d*))?\s*$/.exec(text);
  if (!m) throw new TypeError(`not an amount: '${text}'`);
  const frac = (m[3] ?? '').padEnd(minorDigits, '0');
  if (frac.length > minorDigits) throw new TypeError(`too many decimals in '${text}'`);
  const v = Number(m[2]) * 10 ** minorDigits + Number(frac || '0');
  assertMinor(v);
  return m[1] ? -v : v;
}
