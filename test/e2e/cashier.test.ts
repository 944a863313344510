/**
 * The cashier UI end to end in a real Chromium against a real terminal: real
 * ledger (SQLite) in a temporary data directory, the sample catalog that
 * `till init` seeds, the lane server on 127.0.0.1 with an ephemeral port and
 * the simulated devices (pty scanner, virtual printer, drawer, display). Sign in, scan (scan field and
 * keyboard wedge), see lines, savings and total, pay cash, see the change and
 * the receipt, and find the sale in the ledger. Screenshots go to
 * test/e2e/output.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import { SALE_COMPLETED } from '../../src/terminal/index';
import type { DemoTerminal } from '../../scripts/demo-terminal';
import { freshE2E, launchChromium, openShift, ROOT, screenshotPath, signIn } from './helpers';

/** a test that replays the steps before its own gets this long on a loaded machine */
const REPLAY_MS = 120_000;

/** 日清老坛酸菜牛肉面桶装 ¥4.00, in the sample promotion 方便面第二件半价 */
const NOODLES = '6910004005427';
/** 海飞丝中性笔单件 ¥3.00, in no promotion */
const PEN = '6910006012348';
/** a valid EAN-13 that is not in the catalog */
const UNKNOWN = '6901234999990';

let demo: DemoTerminal;
let page: Page;

describe('cashier UI over the lane server', () => {
  const run = freshE2E({ name: 'cashier' });
  beforeEach(() => {
    ({ demo, page } = run.current);
  });

  /** scans into the cart from the scan field and waits for the total */
  async function scan(code: string, total: string): Promise<void> {
    await page.getByTestId('scan').fill(code);
    await page.getByTestId('scan').press('Enter');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(total);
  }

  async function signedIn(): Promise<void> {
    await page.goto(demo.server.url);
    await signIn(page, '1001', '1234');
  }

  async function onSaleScreen(): Promise<void> {
    await signedIn();
    await openShift(page, 2);
  }

  /** a cart of two noodles and a pen (¥9.00 after the promotion) */
  async function threeItems(): Promise<void> {
    await scan(NOODLES, '¥4.00');
    await scan(NOODLES, '¥6.00');
    await scan(PEN, '¥9.00');
  }

  async function wrongPinThenSignIn(): Promise<void> {
    await page.goto(demo.server.url);
    await expect(page.getByTestId('lane-id').textContent()).resolves.toContain('S001');
    await page.getByTestId('login-user').fill('1001');
    await page.getByTestId('login-pin').fill('0000');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('login-error').textContent()).resolves.toMatch(/\S/);
    await page.screenshot({ path: screenshotPath('login-error') });
    await page.getByTestId('login-pin').fill('1234');
    await page.getByTestId('login-submit').click();
    await expect(page.getByTestId('cashier').textContent()).resolves.toContain('张三');
  }

  async function openShiftByDenomination(): Promise<void> {
    await page.getByTestId('open-shift').waitFor();
    await page.getByTestId('count-10000').fill('2');
    await expect(page.getByTestId('count-total').textContent()).resolves.toBe('¥200.00');
    await page.screenshot({ path: screenshotPath('open-shift') });
    await page.getByTestId('count-submit').click();
    await page.getByTestId('scan').waitFor();
  }

  async function badBarcodes(): Promise<void> {
    await page.getByTestId('scan').fill('6901234999995');
    await page.getByTestId('scan').press('Enter');
    await expect(page.getByTestId('sale-error').textContent()).resolves.toContain('条码无效');
    await page.getByTestId('scan').fill(UNKNOWN);
    await page.getByTestId('scan').press('Enter');
    await expect.poll(() => page.getByTestId('sale-error').textContent()).toContain('未找到');
    expect(await page.getByTestId('line').count()).toBe(0);
  }

  async function scanFieldAndWedge(): Promise<void> {
    await page.getByTestId('scan').fill(NOODLES);
    await page.getByTestId('scan').press('Enter');
    await expect(page.getByTestId('line').first().textContent()).resolves.toContain('日清老坛酸菜牛肉面');
    await expect(page.getByTestId('total').textContent()).resolves.toBe('¥4.00');
    await page.getByTestId('scan').fill(NOODLES);
    await page.getByTestId('scan').press('Enter');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥6.00');
    await expect(page.getByTestId('savings').textContent()).resolves.toBe('-¥2.00');

    // a wedge scanner types fast while the focus is elsewhere (here: the totals
    // panel). The burst is sent from inside the page, so its keys are
    // milliseconds apart however loaded the machine is (typing through the
    // browser protocol can stretch the gaps past the wedge window).
    await page.locator('.totals').click();
    await page.evaluate(
      `for (const key of [...${JSON.stringify(PEN)}, 'Enter']) document.activeElement.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))`,
    );
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥9.00');
    const lines = await page.getByTestId('line').allTextContents();
    expect(lines.some((l) => l.includes('海飞丝中性笔'))).toBe(true);
    await expect(page.getByTestId('items').textContent()).resolves.toBe('3');
    await page.screenshot({ path: screenshotPath('sale-1024x768') });
  }

  async function payCash(): Promise<void> {
    await page.keyboard.press('F1');
    await page.getByTestId('cash-dialog').waitFor();
    await expect(page.getByTestId('cash-due').textContent()).resolves.toBe('¥9.00');
    await page.screenshot({ path: screenshotPath('cash-dialog') });
    await page.getByTestId('quick-1000').click();
    await page.getByTestId('completed-dialog').waitFor();
    await expect(page.getByTestId('change').textContent()).resolves.toBe('¥1.00');
    const receiptNo = (await page.getByTestId('receipt-no').textContent()) ?? '';
    expect(receiptNo).toMatch(/^S001-T01-/);
    const receipt = (await page.getByTestId('receipt').textContent()) ?? '';
    expect(receipt).toContain('日清老坛酸菜牛肉面');
    expect(receipt).toContain('找零');
    await page.screenshot({ path: screenshotPath('receipt') });

    // the receipt number is made of store, terminal and the sale's journal seq
    const sales = demo.terminal.ledger.entries(1, 10_000).filter((e) => e.type === SALE_COMPLETED);
    expect(sales).toHaveLength(1);
    expect(sales[0]?.seq).toBe(Number(receiptNo.split('-').at(-1)));
    expect(JSON.parse(sales[0]?.payload ?? '{}')).toMatchObject({ totals: { total: 900, paid: 900, change: 100 }, tenders: [{ kind: 'cash', tendered: 1000, change: 100 }] });

    await page.getByTestId('next-customer').click();
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥0.00');
  }

  async function holdAndRecall(): Promise<void> {
    await page.getByTestId('scan').fill(NOODLES);
    await page.getByTestId('scan').press('Enter');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥4.00');
    await page.keyboard.press('F7');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥0.00');
    await page.keyboard.press('F8');
    await page.getByTestId('held-dialog').waitFor();
    expect(await page.getByTestId('held-item').count()).toBe(1);
    await page.getByTestId('held-item').click();
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥4.00');
  }

  async function voidAfterCard(): Promise<void> {
    await page.keyboard.press('F2');
    await page.getByTestId('card-amount').fill('1.00');
    await page.getByTestId('card-reference').fill('POS-778899');
    await page.getByTestId('card-pay').click();
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥3.00');
    await page.keyboard.press('F9');
    await page.getByTestId('void-reason').first().click();
    await page.getByTestId('override-dialog').waitFor();
    await page.screenshot({ path: screenshotPath('override') });
    await page.getByTestId('override-user').fill('9001');
    await page.getByTestId('override-pin').fill('9999');
    await page.getByTestId('override-submit').click();
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥0.00');
    expect(await page.getByTestId('line').count()).toBe(0);
  }

  async function closeShiftBlind(): Promise<void> {
    await page.keyboard.press('F10');
    await page.getByTestId('close-shift').waitFor();
    expect(await page.getByTestId('close-shift').textContent()).not.toContain('209');
    await page.getByTestId('count-10000').fill('2');
    await page.getByTestId('count-500').fill('1');
    await page.getByTestId('count-100').fill('4');
    await page.getByTestId('count-submit').click();
    await expect.poll(() => page.getByTestId('variance').textContent()).toBe('¥0.00');
    await page.keyboard.press('Escape');
    await openShift(page, 1);
  }

  async function tablet(): Promise<void> {
    await page.setViewportSize({ width: 768, height: 1024 });
    await page.getByTestId('scan').fill(PEN);
    await page.getByTestId('scan').press('Enter');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥3.00');
    const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await expect(page.getByTestId('pay-cash').isVisible()).resolves.toBe(true);
    await page.screenshot({ path: screenshotPath('sale-tablet-768x1024') });
  }

  it('refuses a wrong PIN with a clear message, then signs in', async () => {
    await wrongPinThenSignIn();
  });

  it('opens the shift with the float counted by denomination', async () => {
    await signedIn();
    await openShiftByDenomination();
  });

  it('shows a bad or unknown barcode as a clear message, not a line', async () => {
    await onSaleScreen();
    await badBarcodes();
  });

  it('scans from the field and from a keyboard-wedge scanner, with savings and total', async () => {
    await onSaleScreen();
    await scanFieldAndWedge();
  });

  it('pays cash with a quick amount (F1), shows the change and the receipt, and the sale is in the ledger', async () => {
    await onSaleScreen();
    await threeItems();
    await payCash();
  });

  it('holds and recalls a sale (F7, F8)', async () => {
    await onSaleScreen();
    await holdAndRecall();
  });

  it('voiding after a card tender asks for a supervisor, and the approval voids it', async () => {
    await onSaleScreen();
    await holdAndRecall();
    await voidAfterCard();
  });

  it('closes the shift with a blind count and shows the over/short after it (F10)', async () => {
    await onSaleScreen();
    await threeItems();
    await payCash();
    await closeShiftBlind();
  }, REPLAY_MS);

  it('fits a tablet held upright', async () => {
    await onSaleScreen();
    await tablet();
  });
});

/**
 * npm start on a machine where the Electron binary cannot be downloaded: a
 * mirror that refuses connections and an empty download cache make that
 * deterministic even with internet. It must say so in one line, start the
 * headless terminal, and print the URL where Chromium gets the cashier UI.
 */
describe('npm start without the Electron binary', () => {
  it('falls back to the headless terminal and serves the cashier UI', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-start-'));
    const child = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        TILL_DATA: path.join(dir, 'data'),
        TILL_LANE_PORT: '0',
        ELECTRON_OVERRIDE_DIST_PATH: path.join(dir, 'no-electron'),
        ELECTRON_MIRROR: 'http://127.0.0.1:9/',
        electron_config_cache: path.join(dir, 'cache'),
      },
    });
    let out = '';
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const url = await new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no URL within 45 s; output:\n${out}`)), 45_000);
        const onData = (d: Buffer): void => {
          out += d.toString();
          const m = /^Cashier UI: (http:\/\/127\.0\.0\.1:\d+\/#lane=[\w-]+)$/m.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        };
        child.stdout.on('data', onData);
        child.stderr.on('data', onData);
        child.on('close', () => reject(new Error(`npm start exited early:\n${out}`)));
      });
      expect(out).toContain('the Electron binary could not be downloaded');
      expect(out).toContain('starting the headless terminal instead');
      expect(out).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
      const browser = await launchChromium();
      try {
        const p = await browser.context.newPage();
        await p.goto(url);
        await p.getByTestId('login-user').waitFor();
        await expect(p.getByTestId('lane-id').textContent()).resolves.toContain('S001');
      } finally {
        await browser.close();
      }
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGINT');
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
      if (code === 'timeout' && child.pid) process.kill(-child.pid, 'SIGKILL');
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
