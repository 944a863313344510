/**
 * Splits an integer amount over weights (largest remainder): the parts are
 * integers, add up exactly to the amount, and ties go to the earlier weight,
 * so the split is deterministic. Used to spread a promotion's or a cart
 * discount's saving over lines (for VAT per line).
 */
export function allocate(amount: number, weights: readonly number[]): number[] {
  const n = weights.length;
  if (n === 0) {
    if (amount !== 0) throw new RangeError('cannot allocate a non-zero amount over nothing');
    return [];
  }
  const total = weights.reduce((a, b) => a + b, 0);
  if (total <= 0) return weights.map((_, i) => (i === 0 ? amount : 0));
  const parts = new Array<number>(n);
  const rema: Array<[bigint, number]> = [];
  let given = 0;
  for (let i = 0; i < n; i++) {
    const p = BigInt(amount) * BigInt(weights[i] as number);
    const q = p / BigInt(total);
    parts[i] = Number(q);
    given += parts[i] as number;
    rema.push([p - q * BigInt(total), i]);
  }
  rema.sort((a, b) => (a[0] === b[0] ? a[1] - b[1] : a[0] > b[0] ? -1 : 1));
  for (let k = 0; given < amount; k++, given++) {
    const i = (rema[k % n] as [bigint, number])[1];
    parts[i] = (parts[i] as number) + 1;
  }
  return parts;
}
