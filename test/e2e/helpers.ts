/**
 * End-to-end helpers: a fresh Debian Chromium through playwright-core, a
 * build of the renderer into out/renderer when it is missing or older than
 * its sources (the lane server serves that build), the demo terminal in a
 * temporary data directory with a page on it (startE2E), and the sign-in,
 * shift-open and supervisor-approval steps most tests begin with.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterEach, beforeEach, expect } from 'vitest';
import { startDemoTerminal, type DemoTerminal } from '../../scripts/demo-terminal';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const OUTPUT = path.join(import.meta.dirname, 'output');

function newestMtime(p: string): number {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = st.mtimeMs;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

export async function ensureRendererBuilt(): Promise<void> {
  const index = path.join(ROOT, 'out/renderer/index.html');
  const newest = Math.max(...['src/renderer', 'src/shared', 'vite.renderer.config.mts'].map((p) => newestMtime(path.join(ROOT, p))));
  if (fs.existsSync(index) && fs.statSync(index).mtimeMs >= newest) return;
  process.env.VITE_CONFIG_NATIVE_IGNORE_WARNING = 'true';
  await build({ configFile: path.join(ROOT, 'vite.renderer.config.mts'), logLevel: 'warn' });
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's Chromium, headless, with a fresh profile that is removed on close (and extra command-line switches) */
export async function launchChromium(viewport = { width: 1024, height: 768 }, extraArgs: readonly string[] = []): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'till-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport,
    locale: 'zh-CN',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
  return {
    context,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

export const screenshotPath = (name: string): string => {
  fs.mkdirSync(OUTPUT, { recursive: true });
  return path.join(OUTPUT, `${name}.png`);
};

export interface E2E {
  dataDir: string;
  demo: DemoTerminal;
  browser: Browser;
  page: Page;
  /** the page's uncaught errors, collected (a listener that throws fails nothing); freshE2E checks them after each test */
  pageErrors: Error[];
  close(): Promise<void>;
}

/** the demo terminal (sample catalog, lane server on 127.0.0.1) in a fresh temporary data directory, and a Chromium page */
export async function startE2E(opts: { name: string; devices?: boolean }): Promise<E2E> {
  await ensureRendererBuilt();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `till-e2e-${opts.name}-`));
  let demo: DemoTerminal | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close();
    await demo?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    demo = await startDemoTerminal({ dataDir, host: '127.0.0.1', port: 0, devices: opts.devices ?? true });
    browser = await launchChromium();
    const page = await browser.context.newPage();
    const pageErrors: Error[] = [];
    page.on('pageerror', (e) => void pageErrors.push(e));
    return { dataDir, demo, browser, page, pageErrors, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * A fresh demo terminal (own data directory) and page for every test of the
 * enclosing describe, so each test sets up what it needs and none depends on
 * another's state; after each test, an uncaught error of its page fails it.
 */
export function freshE2E(opts: { name: string; devices?: boolean }): { readonly current: E2E } {
  let current: E2E | undefined;
  beforeEach(async () => {
    current = await startE2E(opts);
  });
  afterEach(async () => {
    const done = current;
    current = undefined;
    await done?.close();
    expect(done?.pageErrors ?? []).toEqual([]);
  });
  return {
    get current(): E2E {
      if (!current) throw new Error('no e2e set-up outside a test');
      return current;
    },
  };
}

export async function signIn(page: Page, code: string, pin: string): Promise<void> {
  await page.getByTestId('login-user').fill(code);
  await page.getByTestId('login-pin').fill(pin);
  await page.getByTestId('login-submit').click();
}

/** opens the shift with a float of that many ¥100 notes and waits for the sale screen */
export async function openShift(page: Page, hundreds: number): Promise<void> {
  await page.getByTestId('open-shift').waitFor();
  await page.getByTestId('count-10000').fill(String(hundreds));
  await page.getByTestId('count-submit').click();
  await page.getByTestId('scan').waitFor();
}

/** answers the supervisor dialog (default: the demo supervisor) */
export async function approve(page: Page, userCode = '9001', pin = '9999'): Promise<void> {
  await page.getByTestId('override-dialog').waitFor();
  await page.getByTestId('override-user').fill(userCode);
  await page.getByTestId('override-pin').fill(pin);
  await page.getByTestId('override-submit').click();
  await page.getByTestId('override-dialog').waitFor({ state: 'detached' });
}
