/** What a keypad key does to the text being entered (amount, quantity, code or PIN). */
export type PadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | '.' | 'back' | 'clear';

export function applyKey(value: string, key: PadKey, opts: { decimals: number; maxLength: number }): string {
  if (key === 'clear') return '';
  if (key === 'back') return value.slice(0, -1);
  if (key === '.') return opts.decimals > 0 && !value.includes('.') ? (value === '' ? '0.' : value + '.') : value;
  const next = value + key;
  const dot = next.indexOf('.');
  if (dot >= 0 && next.length - dot - 1 > opts.decimals) return value;
  return next.length > opts.maxLength ? value : next;
}
