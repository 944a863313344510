/**
 * Store operations end to end in a real Chromium against a real terminal
 * (ledger in a temporary directory, demo catalog, lane server on 127.0.0.1):
 * a line discount over the cashier's limit approved by a supervisor, a
 * return of one line of that sale, a paid-out, the X report whose figures
 * are checked against the sales, refund and paid-out made here, the blind
 * close, then the Z report once and its refusal the second time.
 */
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { DENOMINATIONS } from '../../src/shared/contract/shift';
import { parseMinor } from '../../src/shared/money';
import { money } from '../../src/renderer/format';
import { saveUser } from '../../src/terminal/index';
import type { DemoTerminal } from '../../scripts/demo-terminal';
import { approve as approveOn, freshE2E, openShift, screenshotPath, signIn } from './helpers';

/** a test that replays the steps before its own gets this long on a loaded machine */
const REPLAY_MS = 120_000;

interface Item {
  sku: string;
  name: string;
  price: number;
  memberPrice: number | null;
  barcode: string;
}

let demo: DemoTerminal;
let page: Page;
/** products of the seeded catalog in no promotion: the figures below then depend only on price, discount and member price */
let items: { a: Item; b: Item; c: Item; d: Item };

/** "¥12.70" or "-¥1.00" -> fen */
const fen = (text: string | null): number => {
  const m = /^(-?)¥(\d+\.\d\d)$/.exec((text ?? '').trim());
  if (!m?.[2]) throw new Error(`not an amount on screen: '${text}'`);
  return (m[1] ? -1 : 1) * parseMinor(m[2]);
};
const amountOf = async (testId: string): Promise<number> => fen(await page.getByTestId(testId).first().textContent());

const approve = (userCode: string, pin: string): Promise<void> => approveOn(page, userCode, pin);

async function scan(code: string): Promise<void> {
  const before = await page.getByTestId('line').count();
  await page.getByTestId('scan').fill(code);
  await page.getByTestId('scan').press('Enter');
  await expect.poll(() => page.getByTestId('line').count()).toBe(before + 1);
}

/** the figures the steps of a test produced, to check the X report against */
let made = { sales: [] as number[], cashSales: 0, cardSales: 0, refund: 0, paidOut: 1000, float: 20000 };

// no simulated devices: the drawer's close would pace every cash step here (the devices e2e covers it)
const run = freshE2E({ name: 'ops', devices: false });

beforeEach(() => {
  ({ demo, page } = run.current);
  made = { sales: [], cashSales: 0, cardSales: 0, refund: 0, paidOut: 1000, float: 20000 };
  saveUser(demo.terminal.ledger, { code: '8001', name: '王店长', role: 'manager', pin: '8888' });
  const db = demo.terminal.ledger.db;
  const promoted = (db.prepare('SELECT def FROM promotions WHERE active = 1').all() as Array<{ def: string }>).map((r) => r.def).join('\n');
  const candidates = (
    db
      .prepare(
        `SELECT p.sku, p.name, p.price, p.member_price AS memberPrice, p.category, min(b.barcode) AS barcode FROM products p JOIN barcodes b ON b.sku = p.sku
         WHERE p.weighed = 0 AND p.active = 1 AND p.price BETWEEN 300 AND 3000 AND p.price % 100 = 0 AND length(b.barcode) = 13 GROUP BY p.sku ORDER BY p.sku`,
      )
      .all() as Array<Item & { category: string }>
  ).filter((p) => !promoted.includes(`"${p.sku}"`) && !promoted.includes(`"${p.category}"`));
  const member = candidates.find((p) => p.memberPrice !== null && p.memberPrice < p.price);
  const plain = candidates.filter((p) => p.memberPrice === null);
  if (!member || plain.length < 3) throw new Error('the seeded catalog has too few products outside promotions for this test');
  items = { a: plain[0] as Item, b: plain[1] as Item, c: plain[2] as Item, d: member };
});

describe('store operations in the cashier UI', () => {
  async function signInAndOpenShift(): Promise<void> {
    await page.goto(demo.server.url);
    await signIn(page, '1001', '1234');
    await openShift(page, 2);
  }

  async function discountOverLimit(): Promise<void> {
    await scan(items.a.barcode);
    await scan(items.b.barcode);
    await scan(items.c.barcode);
    const before = await amountOf('total');
    await page.keyboard.press('F5');
    await page.getByTestId('discount-dialog').waitFor();
    await page.screenshot({ path: screenshotPath('ops-discount') });
    await page.getByTestId('discount-quick-30').click();
    await approve('9001', '9999');
    await page.getByTestId('discount-dialog').waitFor({ state: 'detached' });
    const off = (items.c.price * 3) / 10;
    await expect.poll(() => page.getByTestId('line').last().textContent()).toContain(`-${money(off)}`);
    expect(before - (await amountOf('total'))).toBeGreaterThanOrEqual(off);
  }

  async function memberSaleInCash(): Promise<void> {
    await scan(items.d.barcode);
    await page.keyboard.press('F11');
    await page.getByTestId('member-dialog').waitFor();
    await page.getByTestId('member-code').fill('0000000000');
    await page.getByTestId('member-apply').click();
    await expect(page.getByTestId('ops-error').textContent()).resolves.toContain('未找到');
    const code = (demo.terminal.ledger.db.prepare('SELECT code FROM members WHERE active = 1 ORDER BY code LIMIT 1').get() as { code: string }).code;
    await page.getByTestId('member-code').fill(code);
    await page.getByTestId('member-apply').click();
    await page.getByTestId('member-dialog').waitFor({ state: 'detached' });
    await expect(page.locator('.member').textContent()).resolves.toMatch(/\S/);
    const memberSaving = items.d.price - (items.d.memberPrice ?? 0);
    await expect.poll(() => page.getByTestId('line').last().textContent()).toContain(`-${money(memberSaving)}`);
    await page.screenshot({ path: screenshotPath('ops-sale-1024x768') });
    const total = await amountOf('total');
    await page.keyboard.press('F1');
    await page.getByTestId('cash-pay').click();
    await page.getByTestId('completed-dialog').waitFor();
    made.sales.push(total);
    made.cashSales += total;
    await page.getByTestId('next-customer').click();
  }

  async function cardSale(): Promise<void> {
    await scan(items.a.barcode);
    const total = await amountOf('total');
    await page.keyboard.press('F2');
    await page.getByTestId('card-reference').fill('POS-112233');
    await page.getByTestId('card-pay').click();
    await page.getByTestId('completed-dialog').waitFor();
    made.sales.push(total);
    made.cardSales += total;
    await page.getByTestId('next-customer').click();
  }

  async function returnOneLine(): Promise<void> {
    await page.getByTestId('ops-refund').click();
    await page.getByTestId('refund-dialog').waitFor();
    await expect.poll(() => page.getByTestId('recent-sale').count()).toBe(2);
    await page.screenshot({ path: screenshotPath('ops-refund-find') });
    const recent = await page.getByTestId('recent-sale').allTextContents();
    expect(recent).toHaveLength(2);
    const receiptNo = /S001-T01-\d+/.exec(recent[1] ?? '')?.[0] ?? '';
    expect(receiptNo).not.toBe('');
    // the sequence digits alone are enough on the till that sold
    await page.getByTestId('refund-code').fill(String(Number(receiptNo.split('-').at(-1))));
    await page.getByTestId('refund-code').press('Enter');
    await expect.poll(() => page.getByTestId('refund-line').count()).toBe(4);
    await page.getByTestId('refund-plus-1').click();
    await expect(page.getByTestId('refund-qty-1').textContent()).resolves.toBe('1 / 1');
    // the amount is the terminal's quote, asked for shortly after the quantity changed
    await page.locator('[data-testid="refund-total"][aria-busy="false"]').waitFor();
    const shown = await amountOf('refund-total');
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(items.a.price);
    await page.getByTestId('refund-reason').first().click();
    await page.screenshot({ path: screenshotPath('ops-refund') });
    await page.getByTestId('refund-confirm').click();
    await approve('9001', '9999');
    await page.getByTestId('refund-done').waitFor();
    expect(await amountOf('refund-amount')).toBe(shown);
    await expect(page.getByTestId('refund-tenders').textContent()).resolves.toContain('现金');
    await expect(page.getByTestId('receipt').textContent()).resolves.toContain(items.a.name.slice(0, 4));
    await page.screenshot({ path: screenshotPath('ops-refund-receipt') });
    made.refund = shown;
    await page.getByTestId('refund-close').click();

    // the same line cannot be returned twice
    await page.getByTestId('ops-refund').click();
    await page.getByTestId('refund-code').fill(receiptNo);
    await page.getByTestId('refund-code').press('Enter');
    await expect.poll(() => page.getByTestId('refund-line').first().textContent()).toContain('已全部退货');
    await page.keyboard.press('Escape');
    await page.getByTestId('refund-dialog').waitFor({ state: 'detached' });
  }

  async function paidOut(): Promise<void> {
    await page.keyboard.press('F12');
    await page.getByTestId('menu-paid-out').click();
    await page.getByTestId('movement-amount').fill('10');
    await page.getByTestId('reason-chip').first().click();
    await page.screenshot({ path: screenshotPath('ops-paid-out') });
    await page.getByTestId('movement-submit').click();
    // Escape cancels the approval only: the paid-out dialog stays with what was entered
    await page.getByTestId('override-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('override-dialog').waitFor({ state: 'detached' });
    await expect(page.getByTestId('movement-amount').inputValue()).resolves.toBe('10');
    await page.getByTestId('movement-submit').click();
    await approve('9001', '9999');
    await expect(page.getByTestId('ops-notice').textContent()).resolves.toContain('¥10.00');
  }

  async function xReport(): Promise<void> {
    await page.keyboard.press('F12');
    await page.getByTestId('menu-report').click();
    await page.getByTestId('report-x').click();
    await approve('9001', '9999');
    await page.getByTestId('report-figures-x').waitFor();
    await page.screenshot({ path: screenshotPath('ops-x-report'), fullPage: true });
    const salesTotal = made.sales.reduce((a, b) => a + b, 0);
    expect(await amountOf('report-sales-total')).toBe(salesTotal);
    expect(await amountOf('report-refunds')).toBe(-made.refund);
    expect(await amountOf('report-paid-out')).toBe(-made.paidOut);
    expect(await amountOf('report-net')).toBe(salesTotal - made.refund);
    await expect(page.getByTestId('report-count-sales').textContent()).resolves.toBe('2');
    await expect(page.getByTestId('report-count-refunds').textContent()).resolves.toBe('1');
    const cash = (await page.getByTestId('report-tender-cash').locator('td').allTextContents()).map(fen);
    expect(cash).toEqual([made.cashSales, made.refund, made.cashSales - made.refund]);
    const card = (await page.getByTestId('report-tender-card').locator('td').allTextContents()).map(fen);
    expect(card).toEqual([made.cardSales, 0, made.cardSales]);
    const shift = (await page.getByTestId('report-shift').locator('td').allTextContents()).slice(2, 4).map(fen);
    expect(shift).toEqual([made.float, made.float + made.cashSales - made.refund - made.paidOut]);
    await page.keyboard.press('Escape');
    await page.getByTestId('report-dialog').waitFor({ state: 'detached' });
  }

  async function closeAndZ(): Promise<void> {
    let expected = made.float + made.cashSales - made.refund - made.paidOut;
    await page.keyboard.press('F10');
    await page.getByTestId('close-shift').waitFor();
    for (const d of DENOMINATIONS) {
      const n = Math.floor(expected / d);
      if (n === 0) continue;
      await page.getByTestId(`count-${d}`).fill(String(n));
      expected -= n * d;
    }
    await page.getByTestId('count-submit').click();
    await expect.poll(() => page.getByTestId('variance').textContent()).toBe('¥0.00');
    await page.keyboard.press('Escape');
    await page.getByTestId('open-shift').waitFor();

    await page.setViewportSize({ width: 768, height: 1024 });
    await page.getByTestId('ops-menu').click();
    await page.getByTestId('menu-report').click();
    await page.getByTestId('report-z').click();
    await page.getByTestId('z-confirm').click();
    await approve('8001', '8888');
    await page.getByTestId('report-figures-z').waitFor();
    await expect(page.getByTestId('report-figures-z').textContent()).resolves.toContain('日结人 1001');
    await expect(page.getByTestId('report-variance').textContent()).resolves.toBe('¥0.00');
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await page.screenshot({ path: screenshotPath('ops-z-report-tablet') });

    await page.getByTestId('report-z').click();
    await page.getByTestId('z-confirm').click();
    await approve('8001', '8888');
    await expect(page.getByTestId('ops-error').textContent()).resolves.toContain('已日结');
    expect(await page.getByTestId('report-figures-z').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('ops-z-refused') });
  }

  it('signs in as a cashier and opens the shift', async () => {
    await signInAndOpenShift();
  });

  it('a 30 % line discount is over the cashier limit: the supervisor approves it (F5)', async () => {
    await signInAndOpenShift();
    await discountOverLimit();
  });

  it('a member found by number gets the member price (F11)', async () => {
    await signInAndOpenShift();
    await discountOverLimit();
    await memberSaleInCash();
  }, REPLAY_MS);

  it('a second sale paid by card', async () => {
    await signInAndOpenShift();
    await discountOverLimit();
    await memberSaleInCash();
    await cardSale();
  }, REPLAY_MS);

  it('returns one line of the first sale: found by receipt number, amount shown, supervisor approves, refund receipt', async () => {
    await signInAndOpenShift();
    await discountOverLimit();
    await memberSaleInCash();
    await cardSale();
    await returnOneLine();
  }, REPLAY_MS);

  it('pays out ¥10.00 with a reason (supervisor approves)', async () => {
    await signInAndOpenShift();
    await paidOut();
  });

  it('the X report matches the sales, the return and the paid-out made here', async () => {
    await signInAndOpenShift();
    await discountOverLimit();
    await memberSaleInCash();
    await cardSale();
    await returnOneLine();
    await paidOut();
    await xReport();
  }, REPLAY_MS);

  it('closes the shift blind, then the Z report runs once and is refused the second time', async () => {
    await signInAndOpenShift();
    await discountOverLimit();
    await memberSaleInCash();
    await cardSale();
    await returnOneLine();
    await paidOut();
    await closeAndZ();
  }, REPLAY_MS);
});
