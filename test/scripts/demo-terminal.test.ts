import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_DEVICES_MARKER, devicesForWindow } from '../../scripts/demo-terminal';
import { readDevicesFile, startFileDevices } from '../../src/terminal/index';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'till-window-devices-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('devices for the Electron window of npm start', () => {
  it('starts the simulated devices and writes a devices.json the terminal opens', async () => {
    const dir = tmp();
    const lines: string[] = [];
    const sims = await devicesForWindow(dir, (l) => lines.push(l));
    expect(sims).not.toBeNull();
    try {
      expect(fs.existsSync(path.join(dir, DEMO_DEVICES_MARKER))).toBe(true);
      expect(lines.join('\n')).toMatch(/simulated devices: receipts in .*receipts, control http:\/\/127\.0\.0\.1:\d+\//);
      expect(readDevicesFile(dir).problem).toBeNull();
      const devices = startFileDevices(dir);
      expect(devices.problem).toBeNull();
      expect(devices.manager).not.toBeNull();
      await devices.manager?.whenReady(5000);
      expect(devices.manager?.status().printer?.link.state).toBe('open');
      await devices.manager?.stop();
    } finally {
      await sims?.stop();
    }
  });

  it('leaves a devices.json written by IT staff alone', async () => {
    const dir = tmp();
    const mine = JSON.stringify({ printer: { address: 'tcp://192.0.2.10:9100', width: 58 } });
    fs.writeFileSync(path.join(dir, 'devices.json'), mine);
    const lines: string[] = [];
    expect(await devicesForWindow(dir, (l) => lines.push(l))).toBeNull();
    expect(fs.readFileSync(path.join(dir, 'devices.json'), 'utf8')).toBe(mine);
    expect(lines).toEqual([`devices from ${path.join(dir, 'devices.json')}`]);
  });
});
