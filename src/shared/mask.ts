/**
 * Member numbers and phone numbers are shown masked wherever a person can
 * read them (the cashier's screen, the customer display, receipts): the first
 * three and last four digits stay, the rest become '*', so 13800000000 reads
 * 138****0000 and a member card 8888000001 reads 888***0001. Shorter numbers
 * keep only their last two digits. The full number stays in the ledger, where
 * reports and the hub need it.
 */
export function maskNumber(n: string): string {
  if (n.length >= 8) return n.slice(0, 3) + '*'.repeat(n.length - 7) + n.slice(-4);
  if (n.length <= 2) return n;
  return '*'.repeat(n.length - 2) + n.slice(-2);
}
