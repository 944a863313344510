import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../drivers/escpos/decoder';
import { jobLines } from '../../drivers/escpos/render';
import { VirtualPrinter, type VirtualJob } from '../../drivers/printer/virtual-printer';
import { main } from '../../src/cli/main';
import { captureIO } from './devices-helpers';

const stops: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const s of stops.splice(0)) await s();
});

async function printer() {
  const vp = new VirtualPrinter({ port: 0, idleMs: 200, width: 58 });
  const port = await vp.start();
  stops.push(() => vp.stop());
  const jobs: VirtualJob[] = [];
  vp.on('job', (j) => jobs.push(j));
  return { vp, port, jobs };
}

describe('till print-test', () => {
  it('prints the test receipt and reports the status', async () => {
    const { port, jobs } = await printer();
    const cap = captureIO();
    expect(await main(['print-test', '--printer', `tcp://127.0.0.1:${port}`, '--width', '58'], cap.io)).toBe(0);
    expect(cap.out()).toContain(`tcp://127.0.0.1:${port}: printer ready`);
    expect(cap.out()).toMatch(/printed the test receipt \(\d+ bytes, 58 mm\)/);
    await new Promise((r) => setTimeout(r, 100));
    expect(jobs).toHaveLength(1);
    expect(jobs[0]?.lines.join('\n')).toContain('打印测试');
    expect(jobs[0]?.items).toContainEqual(expect.objectContaining({ kind: 'qr', data: 'https://till.example/r/TEST' }));
  });

  it('fails with one line when the printer is out of paper, unreachable, or the address is wrong', async () => {
    const { vp, port, jobs } = await printer();
    vp.set({ paperOut: true });
    const cap = captureIO();
    expect(await main(['print-test', '--printer', `tcp://127.0.0.1:${port}`], cap.io)).toBe(3);
    expect(cap.err()).toBe('till print-test: printer is out of paper\n');
    expect(jobs).toHaveLength(0);
    await vp.stop();
    const down = captureIO();
    expect(await main(['print-test', '--printer', `tcp://127.0.0.1:${port}`, '--timeout', '300'], down.io)).toBe(3);
    expect(down.err()).toMatch(/^till print-test: tcp:\/\/127\.0\.0\.1:\d+ did not open within 300 ms: .*ECONNREFUSED/);
    const bad = captureIO();
    expect(await main(['print-test', '--printer', 'lpt1:'], bad.io)).toBe(3);
    expect(bad.err()).toContain("bad device address 'lpt1:'");
    expect(await main(['print-test'], bad.io)).toBe(2);
  });

  it('prints to a printer-class device file (usb:PATH), where the status cannot be read', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-lp-cli-'));
    stops.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const lp = path.join(dir, 'lp0');
    fs.writeFileSync(lp, '');
    const cap = captureIO();
    expect(await main(['print-test', '--printer', `usb:${lp}`, '--width', '80'], cap.io)).toBe(0);
    expect(cap.out()).toContain('printer status unknown (the link cannot report it)');
    expect(jobLines(decodeEscPos(fs.readFileSync(lp))).join('\n')).toContain('打印测试 PRINT TEST');
  });
});
