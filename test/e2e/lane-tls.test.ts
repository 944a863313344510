/**
 * A tablet pairing with a LAN lane over HTTPS, in a real Chromium: the demo
 * terminal's lane on 127.0.0.2 treated as a LAN address (tls: true; binding
 * a real interface from a test would expose it), Chromium trusting exactly
 * the lane's key (--ignore-certificate-errors-spki-list with the SHA-256 of
 * its public key, as a person who compared the fingerprint and accepted the
 * certificate would), the pairing screen showing the fingerprint the till
 * printed, a wrong code refused in Chinese, the right code pairing the
 * tablet, and a sign-in over WSS. A lane with another certificate is refused
 * by the same browser. Screenshots at 1024x768 (a tablet in landscape).
 */
import { createHash, createPublicKey, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_DIR, startDemoTerminal, type DemoTerminal } from '../../scripts/demo-terminal';
import { startLaneServer, type LaneServer } from '../../src/terminal/lane/server';
import { ensureRendererBuilt, launchChromium, screenshotPath, signIn, type Browser } from './helpers';

let dataDir: string;
let otherDir: string;
let demo: DemoTerminal | undefined;
let other: LaneServer | undefined;
let browser: Browser | undefined;
const pageErrors: Error[] = [];

/** what --ignore-certificate-errors-spki-list takes: base64 of SHA-256 over the certificate's SubjectPublicKeyInfo */
const spkiHash = (certPem: string): string => createHash('sha256').update(createPublicKey(certPem).export({ type: 'spki', format: 'der' })).digest('base64');

beforeAll(async () => {
  await ensureRendererBuilt();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-e2e-lane-tls-'));
  otherDir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-e2e-lane-tls-other-'));
  demo = await startDemoTerminal({ dataDir, host: '127.0.0.2', port: 0, tls: true, devices: false });
  other = await startLaneServer({ terminal: demo.terminal, staticDir: RENDERER_DIR, host: '127.0.0.2', tls: true, certDir: otherDir });
  browser = await launchChromium({ width: 1024, height: 768 }, [`--ignore-certificate-errors-spki-list=${spkiHash(demo.server.certificate?.cert ?? '')}`]);
});

afterAll(async () => {
  await browser?.close();
  await other?.close();
  await demo?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
  fs.rmSync(otherDir, { recursive: true, force: true });
});

describe('pairing a tablet with a LAN lane over HTTPS', () => {
  it('shows the printed fingerprint, refuses a wrong code, pairs with the right one and signs in over WSS', async () => {
    if (!demo || !browser) throw new Error('set-up failed');
    const lane = demo.server;
    const printed = lane.certificate?.fingerprint ?? '';
    expect(new X509Certificate(fs.readFileSync(path.join(dataDir, 'lane-cert.pem'))).fingerprint256).toBe(printed);
    const page = await browser.context.newPage();
    page.on('pageerror', (e) => pageErrors.push(e));
    const origin = `https://127.0.0.2:${lane.port}`;
    // typed without https:// : plain HTTP only redirects to the HTTPS page
    const first = await page.goto(`http://127.0.0.2:${lane.port}/`);
    expect(page.url()).toBe(`${origin}/`);
    const tlsDetails = await first?.securityDetails();
    const served = new X509Certificate(lane.certificate?.cert ?? '');
    expect(tlsDetails?.subjectName).toBe('Till S001/T01');
    expect(tlsDetails?.validTo).toBe(Math.floor(new Date(served.validTo).getTime() / 1000));

    await expect(page.getByTestId('pairing-fingerprint').textContent()).resolves.toBe(printed);
    await expect(page.locator('.fingerprint').textContent()).resolves.toContain('收银机证书指纹');
    await page.screenshot({ path: screenshotPath('lane-tls-pairing-zh') });

    const wrong = lane.pairingCode === '000000' ? '000001' : '000000';
    await page.getByTestId('pairing-code').fill(wrong);
    await page.getByRole('button', { name: '配对' }).click();
    await expect(page.getByTestId('pairing-error').textContent()).resolves.toBe('配对码不正确，请核对收银机上显示的最新配对码');
    await page.screenshot({ path: screenshotPath('lane-tls-pairing-wrong-zh') });

    await page.getByRole('button', { name: 'EN' }).click();
    await expect(page.locator('.fingerprint').textContent()).resolves.toContain("The till's certificate fingerprint (SHA-256)");
    await page.screenshot({ path: screenshotPath('lane-tls-pairing-en') });

    const code = lane.pairingCode;
    await page.getByTestId('pairing-code').fill(code);
    await page.getByRole('button', { name: 'Pair' }).click();
    await page.getByTestId('login-user').waitFor();
    expect(lane.pairingCode).not.toBe(code);
    await signIn(page, '1001', '1234');
    await expect(page.getByTestId('cashier').textContent()).resolves.toContain('张三');
    await page.screenshot({ path: screenshotPath('lane-tls-signed-in') });
    await page.close();
    expect(pageErrors).toEqual([]);
  });

  it('the same browser refuses a lane whose certificate is another one', async () => {
    if (!other || !browser) throw new Error('set-up failed');
    expect(other.certificate?.fingerprint).not.toBe(demo?.server.certificate?.fingerprint);
    const page = await browser.context.newPage();
    await expect(page.goto(`https://127.0.0.2:${other.port}/`)).rejects.toThrow(/ERR_CERT_AUTHORITY_INVALID/);
    await page.close();
  });
});
