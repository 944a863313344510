import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SerialScanner, type Scan } from '../../../drivers/scanner/serial-scanner';
import { SimulatedScanner } from '../../../drivers/scanner/simulated-scanner';
import { ManagedTransport } from '../../../drivers/transport/managed';
import { SerialConnector } from '../../../drivers/transport/serial';
import type { LinkStatus } from '../../../drivers/transport/types';
import { until } from '../../support/wait';

let dir: string;
let sim: SimulatedScanner | null = null;
let scanner: SerialScanner | null = null;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-scan-'));
});
afterEach(async () => {
  await scanner?.stop();
  await sim?.close();
  scanner = null;
  sim = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

function collect(s: SerialScanner) {
  const scans: Scan[] = [];
  const states: LinkStatus['state'][] = [];
  s.on('scan', (x) => scans.push(x));
  s.on('status', (x) => states.push(x.state));
  return { scans, states };
}

describe('serial scanner on a real pty', () => {
  it('scans arrive with code, source and time; noise and partial frames do not', async () => {
    const port = path.join(dir, 'scanner');
    sim = await SimulatedScanner.open(port, 'CR');
    const t = new ManagedTransport(new SerialConnector({ path: port }), { backoff: { initialMs: 50, maxMs: 200 } });
    scanner = new SerialScanner(t, { suffix: 'CR', interByteTimeoutMs: 40, minLength: 4 });
    const { scans } = collect(scanner);
    scanner.start();
    await t.whenOpen(3000);
    await sim.scan('6901234567892');
    await sim.sendRaw(Buffer.from([0x01, 0xff, 0x31, 0x32, 0x33, 0x34, 0x0d]));
    await sim.sendRaw('4006');
    await new Promise((r) => setTimeout(r, 120));
    await sim.sendRaw('12\r');
    await sim.scan('CODE-128-XYZ');
    await until(() => scans.length >= 2);
    await new Promise((r) => setTimeout(r, 100));
    expect(scans.map((s) => s.code)).toEqual(['6901234567892', 'CODE-128-XYZ']);
    expect(scans[0]?.source).toBe(`serial:${port}`);
    expect(Math.abs((scans[0]?.at ?? 0) - Date.now())).toBeLessThan(5000);
  });

  it('an unplug is seen and the scanner comes back when the pty returns', async () => {
    const port = path.join(dir, 'scanner');
    sim = await SimulatedScanner.open(port, 'CRLF');
    const t = new ManagedTransport(new SerialConnector({ path: port }), { backoff: { initialMs: 50, maxMs: 200 } });
    scanner = new SerialScanner(t, { suffix: 'CRLF' });
    const { scans, states } = collect(scanner);
    scanner.start();
    await t.whenOpen(3000);
    await sim.scan('11111111');
    await until(() => scans.length === 1);
    await sim.unplug();
    await until(() => t.status.state === 'reconnecting');
    await new Promise((r) => setTimeout(r, 300));
    expect(t.status.attempt).toBeGreaterThanOrEqual(2);
    await sim.replug();
    await t.whenOpen(3000);
    await sim.scan('22222222');
    await until(() => scans.length === 2);
    expect(scans.map((s) => s.code)).toEqual(['11111111', '22222222']);
    expect(states).toContain('reconnecting');
    expect(states[states.length - 1]).toBe('open');
  });

  it('a device path that vanishes counts as an unplug even when no hang-up arrives', async () => {
    const port = path.join(dir, 'scanner');
    sim = await SimulatedScanner.open(port, 'CR');
    const t = new ManagedTransport(new SerialConnector({ path: port, presenceCheckMs: 50 }), { backoff: { initialMs: 50, maxMs: 200 } });
    scanner = new SerialScanner(t, { suffix: 'CR' });
    const { states } = collect(scanner);
    scanner.start();
    await t.whenOpen(3000);
    // the pty stays up (socat keeps its master open): only the /dev entry goes, as with a USB adapter
    fs.unlinkSync(port);
    await until(() => t.status.state === 'reconnecting', 3000, 'reconnecting after the path vanished');
    expect(states).toContain('reconnecting');
    expect(t.status.error ?? '').toMatch(/gone \(unplugged\)/);
  });

  it('random bytes through the pty (seeded, bounded) never make a malformed scan', async () => {
    const port = path.join(dir, 'scanner');
    sim = await SimulatedScanner.open(port, 'CR');
    const t = new ManagedTransport(new SerialConnector({ path: port }));
    scanner = new SerialScanner(t, { suffix: 'CR', maxLength: 20 });
    const { scans } = collect(scanner);
    scanner.start();
    await t.whenOpen(3000);
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % 256;
    for (let i = 0; i < 50; i++) await sim.sendRaw(Buffer.from(Array.from({ length: 200 }, rnd)));
    await new Promise((r) => setTimeout(r, 150));
    await sim.scan('END-OF-NOISE');
    await until(() => scans.some((s) => s.code === 'END-OF-NOISE'));
    for (const s of scans) expect(s.code).toMatch(/^[\x20-\x7e]{3,20}$/);
  });
});
