import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDevices } from '../../drivers';
import { main } from '../../src/cli/main';
import { captureIO } from './devices-helpers';
import { spawnTill } from '../support/till';
import { waitFor } from '../support/wait';

describe('till devices list', () => {
  it('lists ports as JSON with notes', async () => {
    const cap = captureIO();
    expect(await main(['devices', 'list', '--json'], cap.io)).toBe(0);
    const listing = JSON.parse(cap.out()) as { ports: Array<{ path: string; kind: string }>; notes: string[] };
    expect(Array.isArray(listing.ports)).toBe(true);
    for (const p of listing.ports) expect(['serial', 'usb-printer']).toContain(p.kind);
    expect(Array.isArray(listing.notes)).toBe(true);
  });

  it('says clearly when udevadm is missing (a real process with a PATH without it)', async () => {
    const p = spawnTill(['devices', 'list'], { ...process.env, PATH: '/nonexistent' });
    expect(await p.done).toBe(0);
    expect(p.out()).toContain('note: udevadm is not installed (Debian package udev)');
  });

  it('refuses an unknown sub-command', async () => {
    const cap = captureIO();
    expect(await main(['devices', 'scan'], cap.io)).toBe(2);
    expect(cap.err()).toContain("the sub-commands are 'list', 'check' and 'simulate'");
  });
});

describe('till devices simulate', () => {
  it('runs the simulated set, prints its config, and takes scan and printer commands over HTTP', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-sim-cli-'));
    const cap = captureIO();
    const run = main(['devices', 'simulate', '--dir', dir, '--width', '58'], cap.io);
    try {
      const cp = Number((await waitFor('control', () => /control: curl http:\/\/127\.0\.0\.1:(\d+)\//.exec(cap.out())))[1]);
      const config = JSON.parse((/devices config: (.*)\n/.exec(cap.out()) as RegExpExecArray)[1] as string) as { scanner: { path: string }; printer: { address: string; width: number } };
      expect(config.printer).toMatchObject({ width: 58 });
      const dm = createDevices(config);
      dm.start();
      await dm.whenReady(5000);
      const scans: string[] = [];
      dm.on('scan', (s) => scans.push(s.code));
      expect((await fetch(`http://127.0.0.1:${cp}/scan/6901234567892`)).status).toBe(200);
      await waitFor('scan', () => scans.length === 1);
      expect(scans).toEqual(['6901234567892']);
      expect(((await (await fetch(`http://127.0.0.1:${cp}/paper-out`)).json()) as { condition: { paperOut: boolean } }).condition.paperOut).toBe(true);
      expect((await dm.printerStatus()).state).toBe('paper-out');
      expect((await fetch(`http://127.0.0.1:${cp}/nonsense`)).status).toBe(404);
      await dm.stop();
    } finally {
      cap.stop();
      expect(await run).toBe(0);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect(cap.out()).toContain('simulated devices stopped');
  });
});
