/**
 * Card numbers (PANs) never enter Till: a card is paid on the external card
 * terminal and only that terminal's reference is kept. A reference is checked
 * with its separators (space, dash, dot, slash, underscore) stripped, so
 * "4111-1111-1111-1111" is seen as the 16 digits it is, and any run of 13 to
 * 19 digits in it that passes the Luhn check (ISO/IEC 7812) counts as a card
 * number. Pure: used by the core's tenders and refunds and by tests that scan
 * data files for card numbers.
 */

const SEPARATORS = /[\s\-./_]/g;

/** the Luhn (mod 10) check over a string of digits */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** every Luhn-valid run of 13 to 19 digits inside a string of digits (windows of a longer run count too) */
export function panRuns(digitRun: string): string[] {
  const found: string[] = [];
  for (let len = 13; len <= Math.min(19, digitRun.length); len++) {
    for (let at = 0; at + len <= digitRun.length; at++) {
      const w = digitRun.slice(at, at + len);
      if (luhnValid(w)) found.push(w);
    }
  }
  return found;
}

/** true when the text, separators stripped, carries something that may be a card number */
export function looksLikeCardNumber(text: string): boolean {
  // 13-19 digits alone are refused even when the Luhn digit is off: a mistyped card number is still one
  if (/^\d{13,19}$/.test(text)) return true;
  const stripped = text.replace(SEPARATORS, '');
  return (stripped.match(/\d{13,}/g) ?? []).some((run) => panRuns(run).length > 0);
}
