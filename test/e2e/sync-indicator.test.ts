/**
 * The hub indicator in the status bar, in a real Chromium over the lane
 * server: a demo terminal enrolled with an in-process hub shows "synced"
 * once the hub has acknowledged its journal, and "offline" when the hub goes
 * away, with the sale made meanwhile counted as waiting to upload.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import { openLedger } from '../../src/ledger/index';
import { prepareDemoData, startDemoTerminal, type DemoTerminal } from '../../scripts/demo-terminal';
import { storeKit, type StoreKit } from '../hub/fixtures';
import { enrollLedger, hubOn } from '../sync/setup';
import { ensureRendererBuilt, launchChromium, screenshotPath, type Browser } from './helpers';

/** 海飞丝中性笔单件 ¥3.00 in the sample catalog */
const PEN = '6910006012348';

let dataDir: string;
let kit: StoreKit;
let store: HubStore;
let hub: RunningHub | null = null;
let demo: DemoTerminal;
let browser: Browser;
let page: Page;
/** the page's uncaught errors, checked after the test */
const pageErrors: Error[] = [];

beforeAll(async () => {
  await ensureRendererBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-e2e-sync-'));
  kit = storeKit('sqlite');
  store = await kit.open();
  hub = await hubOn(store);
  prepareDemoData(dataDir);
  const ledger = openLedger(dataDir);
  try {
    await enrollLedger(hub, store, ledger);
  } finally {
    ledger.close();
  }
  demo = await startDemoTerminal({ dataDir, host: '127.0.0.1', port: 0, devices: false });
  browser = await launchChromium();
  page = await browser.context.newPage();
  page.on('pageerror', (e) => void pageErrors.push(e));
});

afterEach(() => {
  expect(pageErrors).toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await hub?.close();
  await store?.close();
  await kit?.cleanup();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the hub indicator', () => {
  it('shows synced once the hub has every entry, then offline with the sale waiting', async () => {
    await demo.runtime.sync?.replicator.untilIdle(10_000);
    await page.goto(demo.server.url);
    await page.getByTestId('login-user').fill('1001');
    await page.getByTestId('login-pin').fill('1234');
    await page.getByTestId('login-submit').click();
    const badge = page.getByTestId('sync-status');
    await expect.poll(() => badge.getAttribute('data-state')).toBe('online');
    await expect.poll(() => badge.textContent()).toBe('总部已同步');

    await hub?.close();
    hub = null;
    await expect.poll(() => badge.getAttribute('data-state'), { timeout: 10_000 }).toBe('offline');
    const login = await demo.terminal.dispatch('auth.login', { userCode: '1001', pin: '1234' }, {});
    const ctx = { sessionToken: login.ok ? (login.value as { sessionToken: string }).sessionToken : '' };
    expect((await demo.terminal.dispatch('cart.scan', { code: PEN }, ctx)).ok).toBe(true);
    expect((await demo.terminal.dispatch('tender.cash', { tendered: 500 }, ctx)).ok).toBe(true);
    await expect.poll(() => badge.textContent(), { timeout: 15_000 }).toMatch(/^总部离线 · 待上传 \d+ 条$/);
    await page.screenshot({ path: screenshotPath('sync-offline') });
  }, 60_000);
});
