/** A member's number is printed masked on the receipt (first three and last four digits), and its reprint too. */
import { afterEach, expect, it } from 'vitest';
import { openFixture, P, type Fixture } from './fixture';

let f: Fixture | undefined;
afterEach(() => {
  f?.close();
  f = undefined;
});

it('prints the member number masked on the receipt and its reprint', async () => {
  f = await openFixture();
  await f.ok('cart.scan', { code: P.water.barcodes[0] });
  await f.ok('cart.setMember', { memberCode: '88880001' });
  const sale = await f.ok<{ completed: { receiptNo: string; receipt: unknown } }>('tender.cash', { tendered: 500 });
  const receipt = JSON.stringify(sale.completed.receipt);
  expect(receipt).toContain('会员 888*0001');
  expect(receipt).not.toContain('88880001');
  const again = JSON.stringify(await f.ok('sale.receipt', { receiptNo: sale.completed.receiptNo }));
  expect(again).toContain('888*0001');
  expect(again).not.toContain('88880001');
});
