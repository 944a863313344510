import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main';
import { captureIO, tillProcess } from './devices-helpers';

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
    const p = tillProcess(['devices', 'list'], { ...process.env, PATH: '/nonexistent' });
    expect(await p.done).toBe(0);
    expect(p.out()).toContain('note: udevadm is not installed (Debian package udev)');
  });

  it('refuses an unknown sub-command', async () => {
    const cap = captureIO();
    expect(await main(['devices', 'scan'], cap.io)).toBe(2);
    expect(cap.err()).toContain("the only sub-command is 'list'");
  });
});
