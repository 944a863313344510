/**
 * Payment codes in the cashier UI, in a real Chromium over the lane server:
 * the demo till takes them in the sandbox (chosen in its DATA/payments.json),
 * and the status bar says so in both languages; a code the provider declines
 * is explained by its reason in the cashier's language, with no English
 * detail; a good code completes the sale, and the returns dialog pays one
 * line of it back to the payment code. Each test has a fresh terminal.
 * Screenshots go to test/e2e/output.
 */
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DemoTerminal } from '../../scripts/demo-terminal';
import { approve, freshE2E, openShift, screenshotPath, signIn } from './helpers';

/** 海飞丝中性笔单件 ¥3.00 in the sample catalog */
const PEN = '6910006012348';
/** 日清老坛酸菜牛肉面桶装 ¥4.00 */
const NOODLES = '6910004005427';
/** the sandbox approves a code ending in 0 and declines one ending in 8 (the customer's balance is too low) */
const GOOD = '134567890123456780';
const DECLINED = '134567890123456788';

let demo: DemoTerminal;
let page: Page;

describe('payment codes in the sandbox', () => {
  const run = freshE2E({ name: 'payments', devices: false });
  beforeEach(() => {
    ({ demo, page } = run.current);
  });

  const scan = async (code: string) => {
    await page.getByTestId('scan').fill(code);
    await page.getByTestId('scan').press('Enter');
  };

  /** signed in, shift open, a pen and noodles in the cart (¥7.00) */
  async function twoItems(): Promise<void> {
    await page.goto(demo.server.url);
    await signIn(page, '1001', '1234');
    await openShift(page, 2);
    await scan(PEN);
    await scan(NOODLES);
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥7.00');
  }

  it('the status bar says 沙箱支付, and Sandbox payments in English', async () => {
    await page.goto(demo.server.url);
    await expect(page.getByTestId('payments-sandbox').textContent()).resolves.toBe('沙箱支付');
    await page.getByRole('button', { name: 'EN' }).click();
    await expect.poll(() => page.getByTestId('payments-sandbox').textContent()).toBe('Sandbox payments');
    await page.getByRole('button', { name: '中文' }).click();
    await expect.poll(() => page.getByTestId('payments-sandbox').textContent()).toBe('沙箱支付');
  });

  it('a declined code is explained in Chinese only, the cart kept; a good code completes the sale', async () => {
    await twoItems();
    await scan(DECLINED);
    await expect.poll(() => page.getByTestId('sale-error').textContent()).toBe('支付被拒绝: 顾客余额不足，请顾客更换付款方式');
    await page.screenshot({ path: screenshotPath('payment-code-declined') });
    expect(await page.getByTestId('line').count()).toBe(2);
    await scan(GOOD);
    await page.getByTestId('next-customer').waitFor();
    await page.screenshot({ path: screenshotPath('payment-code-paid') });
    expect(demo.terminal.ledger.db.prepare('SELECT kind, amount, provider FROM sale_tenders').all()).toEqual([{ kind: 'payment-code', amount: 700, provider: 'wechat' }]);
  });

  it('the returns dialog pays one line back to the payment code (a partial refund through the provider)', async () => {
    await twoItems();
    await scan(GOOD);
    await page.getByTestId('next-customer').click();
    await page.getByTestId('ops-refund').click();
    await page.getByTestId('refund-dialog').waitFor();
    await expect.poll(() => page.getByTestId('recent-sale').count()).toBe(1);
    const receiptNo = /S001-T01-\d+/.exec((await page.getByTestId('recent-sale').first().textContent()) ?? '')?.[0] ?? '';
    await page.getByTestId('refund-code').fill(receiptNo);
    await page.getByTestId('refund-code').press('Enter');
    await expect.poll(() => page.getByTestId('refund-line').count()).toBe(2);
    await page.getByTestId('refund-plus-1').click();
    await page.locator('[data-testid="refund-total"][aria-busy="false"]').waitFor();
    await expect(page.getByTestId('refund-total').first().textContent()).resolves.toContain('3.00');
    await page.getByTestId('refund-reason').first().click();
    await page.getByTestId('refund-confirm').click();
    await approve(page);
    await page.getByTestId('refund-done').waitFor();
    await expect(page.getByTestId('refund-tenders').textContent()).resolves.toContain('扫码支付');
    await page.screenshot({ path: screenshotPath('payment-code-partial-refund') });
    expect(demo.terminal.ledger.db.prepare('SELECT amount, state FROM payment_refunds').all()).toEqual([{ amount: 300, state: 'refunded' }]);
  });
});
