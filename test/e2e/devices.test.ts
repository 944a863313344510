/**
 * Devices end to end: the demo terminal (sample catalog, lane server) with the
 * simulated devices, in a real Chromium. A scan from the pty scanner lands in
 * the cart on screen; the status strip shows the scanner and the printer; a
 * cash sale while the printer is out of paper completes, the strip says the
 * printer is out of paper with the receipt waiting and offers a reprint
 * (which tries it again at once); the receipt prints once the paper is back;
 * the drawer shows open until it is shut. The X report slip prints from the
 * reports dialog.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SimulatedDevices } from '../../drivers';
import { SALE_COMPLETED } from '../../src/terminal/index';
import type { DemoTerminal } from '../../scripts/demo-terminal';
import { approve, freshE2E, openShift, screenshotPath, signIn } from './helpers';

/** a test that replays the steps before its own gets this long on a loaded machine */
const REPLAY_MS = 120_000;

/** 海飞丝中性笔单件 ¥3.00 in the sample catalog */
const PEN = '6910006012348';

let dataDir: string;
let demo: DemoTerminal;
let sim: SimulatedDevices;
let page: Page;

const run = freshE2E({ name: 'devices' });

beforeEach(() => {
  ({ dataDir, demo, page } = run.current);
  if (!demo.devices) throw new Error('the demo started without devices');
  sim = demo.devices.sim;
});

describe('devices in the cashier UI', () => {
  async function signInAndStrip(): Promise<void> {
    await page.goto(demo.server.url);
    await signIn(page, '1001', '1234');
    await openShift(page, 2);
    await expect(page.getByTestId('device-scanner').textContent()).resolves.toBe('扫描枪已连接');
    await expect(page.getByTestId('device-printer').getAttribute('data-state')).resolves.toMatch(/^(ready|unknown)$/);
    expect(await page.getByTestId('device-reprint').count()).toBe(0);
  }

  async function scanFromPty(): Promise<void> {
    await sim.scanner.scan(PEN);
    await expect.poll(() => page.getByTestId('line').count()).toBe(1);
    await expect(page.getByTestId('line').first().textContent()).resolves.toContain('海飞丝中性笔');
    await expect.poll(() => page.getByTestId('total').textContent()).toBe('¥3.00');
  }

  async function paperOutAndReprint(): Promise<void> {
    sim.printer.set({ paperOut: true });
    await page.keyboard.press('F1');
    await page.getByTestId('cash-dialog').waitFor();
    await page.getByTestId('quick-1000').click();
    await page.getByTestId('completed-dialog').waitFor();
    const receiptNo = (await page.getByTestId('receipt-no').textContent()) ?? '';
    expect(demo.terminal.ledger.entries(1, 10_000).filter((e) => e.type === SALE_COMPLETED)).toHaveLength(1);
    await page.getByTestId('next-customer').click();

    await expect.poll(() => page.getByTestId('device-printer').getAttribute('data-state'), { timeout: 10_000 }).toBe('paper-out');
    await expect(page.getByTestId('device-printer').textContent()).resolves.toBe('打印机缺纸 · 1 张小票待打印');
    await page.getByTestId('device-reprint').waitFor();
    // the cash was taken, so the drawer opened although the receipt did not print
    await page.getByTestId('device-drawer').waitFor({ timeout: 10_000 });
    await page.screenshot({ path: screenshotPath('devices-paper-out') });

    // the reprint button tries the waiting receipt again at once (still no paper: it keeps waiting)
    const attempts = () => demo.terminal.devices?.jobs().find((j) => j.receiptNo === receiptNo)?.attempts ?? 0;
    const before = attempts();
    await page.getByTestId('device-reprint').click();
    await expect.poll(attempts, { timeout: 10_000 }).toBeGreaterThan(before);
    await page.getByTestId('device-reprint').waitFor();

    const printed = sim.printer.next('job', 10_000, (j) => j.text.includes(receiptNo) && !j.halted);
    sim.printer.set({ paperOut: false });
    const job = await printed;
    expect(job.lines.some((l) => l.includes('应收') && l.includes('3.00'))).toBe(true);
    await expect.poll(() => page.getByTestId('device-reprint').count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => page.getByTestId('device-printer').textContent(), { timeout: 10_000 }).toBe('打印机正常');
    expect(fs.readdirSync(path.join(dataDir, 'receipts')).some((f) => f.endsWith('.png'))).toBe(true);

    sim.printer.set({ drawerOpen: false });
    await expect.poll(() => page.getByTestId('device-drawer').count(), { timeout: 10_000 }).toBe(0);
  }

  async function xReportSlip(): Promise<void> {
    const printed = sim.printer.next('job', 10_000, (j) => j.text.includes('X 读数报表'));
    await page.keyboard.press('F12');
    await page.getByTestId('menu-report').click();
    await page.getByTestId('report-x').click();
    await approve(page);
    await page.getByTestId('report-figures-x').waitFor();
    await page.getByTestId('report-print').click();
    await approve(page);
    await page.getByTestId('report-printed').waitFor();
    const slip = await printed;
    expect(slip.lines.some((l) => l.includes('销售 1 笔') && l.includes('3.00'))).toBe(true);
    await page.keyboard.press('Escape');
  }

  it('signs in and shows the scanner and the printer in the status strip', async () => {
    await signInAndStrip();
  });

  it('a scan from the pty scanner lands in the cart on screen', async () => {
    await signInAndStrip();
    await scanFromPty();
  });

  it('paper out: the sale completes, the strip shows the waiting receipt, and reprint prints it once the paper is back', async () => {
    await signInAndStrip();
    await scanFromPty();
    await paperOutAndReprint();
  }, REPLAY_MS);

  it('prints the X report slip from the reports dialog (the supervisor approves the report and the print)', async () => {
    await signInAndStrip();
    await scanFromPty();
    await paperOutAndReprint();
    await xReportSlip();
  }, REPLAY_MS);
});
