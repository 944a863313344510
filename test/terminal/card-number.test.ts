/**
 * A card number typed where the card terminal's reference goes (tender.card,
 * refund.receipt's cardReference) is refused with 'card-number' in any
 * written form, and nothing of it reaches the journal, the open cart or any
 * other file of the data directory: every file is scanned for Luhn-valid
 * 13-19 digit runs with a card brand's prefix afterwards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { panRuns } from '../../src/shared/card-number';
import { openFixture, P, type Fixture } from './fixture';

const PANS = ['4111-1111-1111-1111', '4111 1111 1111 1111', '5500.0000.0000.0004', 'REF 6222-0202-0011-2233-445', '3782 822463 10005'];
/** IIN prefixes of Visa, Mastercard, UnionPay, Amex, JCB, Discover */
const BRAND = /^(4|5[1-5]|2[2-7]|62|3[47]|35|6011|65)/;

/**
 * Every Luhn-valid 13-19 digit token with a card brand's prefix in the bytes
 * of every file under dir, and every one of the PANs tried, anywhere. A token
 * stands alone: digit runs inside hex hashes and ULIDs are not card numbers.
 */
function cardNumbersIn(dir: string): string[] {
  const found: string[] = [];
  const tried = PANS.map((p) => p.replace(/\D/g, '').slice(-16));
  for (const name of fs.readdirSync(dir, { recursive: true }) as string[]) {
    const file = path.join(dir, name);
    if (!fs.statSync(file).isFile()) continue;
    const text = fs.readFileSync(file).toString('latin1');
    for (const run of text.match(/(?<![0-9A-Za-z])\d{13,19}(?![0-9A-Za-z])/g) ?? []) for (const w of panRuns(run)) if (BRAND.test(w)) found.push(`${name}: ${w}`);
    for (const t of tried) if (text.includes(t)) found.push(`${name}: ${t}`);
  }
  return found;
}

let f: Fixture | undefined;
afterEach(() => {
  f?.close();
  f = undefined;
});

describe('card numbers never reach the journal', () => {
  it('refuses a dashed, spaced or dotted card number as a card reference and writes nothing', async () => {
    f = await openFixture();
    await f.ok('cart.scan', { code: P.riceball.barcodes[0] });
    const before = f.t.ledger.head();
    const cartBefore = JSON.stringify(f.t.ledger.carts.list());
    for (const reference of PANS) {
      const r = await f.call('tender.card', { amount: 300, reference });
      expect(r, reference).toMatchObject({ ok: false, error: { code: 'card-number' } });
    }
    expect(f.t.ledger.head()).toEqual(before);
    expect(JSON.stringify(f.t.ledger.carts.list())).toBe(cartBefore);
    await f.ok('tender.card', { amount: 650, reference: 'POS-778' });
    f.t.ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(cardNumbersIn(f.dir)).toEqual([]);
  });

  it('refuses a card number as a refund reference', async () => {
    f = await openFixture();
    await f.ok('cart.scan', { code: P.riceball.barcodes[0] });
    const sale = await f.ok<{ completed: { receiptNo: string } }>('tender.card', { amount: 650, reference: 'POS-1' });
    const head = f.t.ledger.head();
    const r = await f.call('refund.receipt', { code: sale.completed.receiptNo, lines: [{ lineNo: 1, qty: 1 }], reason: '退货', cardReference: '4111-1111-1111-1111' }, 'supervisor');
    expect(r).toMatchObject({ ok: false, error: { code: 'card-number' } });
    expect(f.t.ledger.head()).toEqual(head);
    expect(cardNumbersIn(f.dir)).toEqual([]);
  });

  it('the scan itself finds a card number written to a file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-pan-'));
    try {
      fs.writeFileSync(path.join(dir, 'x.log'), 'paid with 4111111111111111 today');
      expect(cardNumbersIn(dir)).toContain('x.log: 4111111111111111');
      fs.writeFileSync(path.join(dir, 'x.log'), 'hash ab4012888888881881cd and ulid 01J4012888888881881ZZ are not card numbers');
      expect(cardNumbersIn(dir)).toEqual([]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
