/**
 * The first-run set-up in Chromium, once in Chinese and once in English: a
 * till that has never been set up opens the set-up; an admin signs in; the
 * hub (TLS with a certificate this computer does not trust) shows the
 * fingerprint the person accepts before enrolling; the simulated devices are
 * chosen (a network printer by address, the scanner and display by port
 * path, the drawer on the printer) and each is tested from the screen; saving
 * writes a devices.json that `till devices check` accepts. Every step is
 * screenshotted at 1024x768 and 390x844.
 */
import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startSimulatedDevices, type SimulatedDevices } from '../../drivers';
import { issueEnrollCode } from '../../src/hub/enroll';
import { till } from '../support/till';
import { startSqliteHub, type SqliteHub } from '../sync/setup';
import { selfSignedCert } from '../hub/fixtures';
import { until } from '../support/wait';
import { screenshotPath, startE2E, type E2E } from './helpers';

const SIZES = [
  [1024, 768],
  [390, 844],
] as const;

async function shots(page: Page, name: string, lang: string): Promise<void> {
  for (const [width, height] of SIZES) {
    await page.setViewportSize({ width, height });
    await page.screenshot({ path: screenshotPath(`setup-${name}-${lang}-${width}x${height}`), fullPage: true });
  }
  await page.setViewportSize({ width: 1024, height: 768 });
}

let e2e: E2E | null = null;
let hub: SqliteHub | null = null;
let sim: SimulatedDevices | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await e2e?.close();
  await sim?.stop();
  await hub?.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  e2e = null;
  sim = null;
  hub = null;
});

const TEXT = {
  'zh-CN': { title: '首次设置', untrusted: '证书不受本机信任', printed: '测试小票已打印', drawer: '钱箱已弹开', display: '客显已显示测试内容', scanner: '扫码枪已连接', enrolled: '已注册：S001/T01', login: '收银员登录' },
  en: { title: 'First-run set-up', untrusted: 'This computer does not trust the certificate', printed: 'Test receipt printed', drawer: 'The drawer opened', display: 'The display shows the test', scanner: 'Scanner connected', enrolled: 'Enrolled: S001/T01', login: 'Cashier sign-in' },
} as const;

describe.each(['zh-CN', 'en'] as const)('first-run set-up in %s', (lang) => {
  it('enrolls with the hub after the fingerprint is accepted, tests every device, and saves a devices.json till devices check accepts', { timeout: 90_000 }, async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'till-e2e-setup-'));
    dirs.push(tmp);
    const pair = selfSignedCert(tmp, 'till-hub-e2e', 30);
    hub = await startSqliteHub({ tls: pair });
    sim = await startSimulatedDevices({ dir: path.join(tmp, 'sim'), drawerCloseAfterMs: 300 });
    e2e = await startE2E({ name: `setup-${lang}`, devices: false });
    const { page, dataDir, demo } = e2e;
    // a till nobody has set up yet
    fs.rmSync(path.join(dataDir, 'terminal.json'));
    const errors: Error[] = [];
    page.on('pageerror', (e) => errors.push(e));

    const url = new URL(demo.server.url);
    if (lang === 'en') url.searchParams.set('lang', 'en');
    await page.goto(url.href);
    await page.getByTestId('setup').waitFor();
    await expect.poll(() => page.locator('.setup-head h1').textContent()).toBe(TEXT[lang].title);
    await page.getByTestId(`setup-lang-${lang}`).click();
    await shots(page, 'language', lang);
    await page.getByTestId('setup-next').click();

    await page.getByTestId('login-user').fill('9000');
    await page.getByTestId('login-pin').fill('9000');
    await page.getByTestId('login-submit').click();

    await page.getByTestId('setup-hub-enroll').click();
    await page.getByTestId('setup-hub-url').fill(hub.hub.url);
    await page.getByTestId('setup-hub-check').click();
    await page.getByTestId('setup-hub-probe').waitFor();
    expect(await page.getByTestId('setup-hub-fingerprint').textContent()).toBe(new X509Certificate(pair.cert).fingerprint256);
    expect(await page.getByTestId('setup-hub-probe').textContent()).toContain(TEXT[lang].untrusted);
    const { code } = await issueEnrollCode(hub.store, { store: 'S001', terminal: 'T01' });
    await page.getByTestId('setup-hub-code').fill(code);
    expect(await page.getByTestId('setup-hub-enroll-submit').isDisabled()).toBe(true);
    await shots(page, 'hub', lang);
    await page.getByTestId('setup-hub-accept').check();
    await page.getByTestId('setup-hub-enroll-submit').click();
    await expect.poll(() => page.getByTestId('setup-hub-enrolled').textContent().catch(() => '')).toContain(TEXT[lang].enrolled);
    await until(async () => ((await hub?.store.terminal('S001/T01'))?.hwm.seq ?? 0) > 0, 15_000, 'the enrolled till replicating');
    await page.getByTestId('setup-next').click();

    const c = sim.config;
    const printerAddress = (c.printer?.address as string).replace('tcp://', '');
    // the ports of this computer are listed (udevadm may take a moment)
    await expect.poll(() => page.getByTestId('setup-ports').textContent(), { timeout: 15_000 }).toMatch(lang === 'en' ? /port|No serial/ : /端口/);
    await page.getByTestId('setup-printer-select').selectOption('tcp');
    await page.getByTestId('setup-printer-address').fill(printerAddress);
    await page.getByTestId('setup-scanner-select').selectOption('path');
    await page.getByTestId('setup-scanner-path').fill((c.scanner as { path: string }).path);
    await page.getByTestId('setup-drawer-select').selectOption('printer');
    await page.getByTestId('setup-display-select').selectOption('path');
    await page.getByTestId('setup-display-path').fill((c.display as { path: string }).path);

    const printed = sim.printer.next('job', 15_000);
    await page.getByTestId('setup-test-print').click();
    await expect.poll(() => page.getByTestId('setup-result-print').getAttribute('data-ok').catch(() => null), { timeout: 15_000 }).toBe('yes');
    expect((await printed).text).toContain('PRINT TEST');
    expect(await page.getByTestId('setup-result-print').textContent()).toContain(TEXT[lang].printed);
    for (const [action, text] of [
      ['drawer', TEXT[lang].drawer],
      ['display', TEXT[lang].display],
      ['scanner', TEXT[lang].scanner],
    ] as const) {
      await page.getByTestId(`setup-test-${action}`).click();
      await expect.poll(() => page.getByTestId(`setup-result-${action}`).getAttribute('data-ok').catch(() => null), { timeout: 15_000 }).toBe('yes');
      expect(await page.getByTestId(`setup-result-${action}`).textContent()).toContain(text);
    }
    await shots(page, 'devices', lang);
    await page.getByTestId('setup-next').click();

    await page.getByTestId('setup-summary').waitFor();
    expect(await page.getByTestId('setup-summary').textContent()).toContain(`tcp://${printerAddress} (80 mm)`);
    await shots(page, 'done', lang);
    await page.getByTestId('setup-save').click();
    await page.getByTestId('login-user').waitFor();
    expect(await page.locator('.login-card h1').textContent()).toBe(TEXT[lang].login);

    const saved = JSON.parse(fs.readFileSync(path.join(dataDir, 'devices.json'), 'utf8')) as Record<string, unknown>;
    expect(saved).toEqual({
      printer: { address: `tcp://${printerAddress}`, width: 80 },
      scanner: { kind: 'serial', path: (c.scanner as { path: string }).path },
      drawer: { kind: 'printer' },
      display: { path: (c.display as { path: string }).path },
    });
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, 'terminal.json'), 'utf8'))).toMatchObject({ language: lang });
    expect(errors).toEqual([]);

    // the terminal uses the devices now; till devices check opens them itself, so the terminal stops first
    await demo.close();
    const check = await till('devices', 'check', '--data', dataDir);
    expect(check.err).toBe('');
    expect(check.code).toBe(0);
  });
});
