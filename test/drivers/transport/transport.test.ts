import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectorFromUri, createTransport } from '../../../drivers/transport';
import { DeviceFileConnector } from '../../../drivers/transport/device-file';
import { ManagedTransport } from '../../../drivers/transport/managed';
import { SimulatedConnector } from '../../../drivers/transport/simulated';
import { TcpConnector } from '../../../drivers/transport/tcp';
import { backoffDelay, type LinkStatus } from '../../../drivers/transport/types';
import { UsbConnector } from '../../../drivers/transport/usb';
import { cleanupsAfterEach, until } from '../../support/wait';

const cleanups = cleanupsAfterEach();

describe('addresses', () => {
  it('parses tcp, serial, usb device files, usb ids and sim', () => {
    expect(connectorFromUri('tcp://10.0.0.5').target).toBe('tcp://10.0.0.5:9100');
    expect(connectorFromUri('tcp://printer.local:9101').target).toBe('tcp://printer.local:9101');
    expect(connectorFromUri('serial:/dev/ttyUSB0?baud=19200').target).toBe('serial:/dev/ttyUSB0');
    expect(connectorFromUri('usb:/dev/usb/lp0')).toBeInstanceOf(DeviceFileConnector);
    expect(connectorFromUri('usb:0483:5743').target).toBe('usb:0x0483:0x5743');
    expect(connectorFromUri('sim:x').target).toBe('sim:x');
  });

  it('refuses bad addresses with a config-invalid error that says what is expected', () => {
    expect(() => connectorFromUri('lpt1')).toThrow(/tcp:\/\/HOST:PORT/);
    expect(() => connectorFromUri('tcp://host:99999')).toThrow(/port/);
    expect(() => connectorFromUri('usb:printer')).toThrow(/VID:PID/);
    expect(() => connectorFromUri('serial:/dev/x?baud=fast')).toThrow(/baud/);
    expect(() => connectorFromUri('serial:/dev/x?rtscts=yes')).toThrow(/rtscts must be 0 or 1/);
    expect(connectorFromUri('serial:/dev/x?baud=115200&rtscts=1').target).toBe('serial:/dev/x');
  });

  it('backoff doubles and is capped', () => {
    const o = { initialMs: 100, maxMs: 1000, factor: 2 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, o))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });
});

describe('TCP transport', () => {
  it('sees a dropped socket, reconnects with backoff, and reports each change', async () => {
    const received: Buffer[] = [];
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('data', (d) => {
        received.push(d);
        s.write(Buffer.from('ok'));
      });
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    cleanups.push(() => new Promise<void>((r) => server.close(() => r())));
    const port = (server.address() as net.AddressInfo).port;
    const t = new ManagedTransport(new TcpConnector({ host: '127.0.0.1', port }), { backoff: { initialMs: 50, maxMs: 400 } });
    cleanups.push(() => t.close());
    const states: LinkStatus[] = [];
    const data: Buffer[] = [];
    t.on('status', (s) => states.push(s));
    t.on('data', (d) => data.push(d));
    t.open();
    await t.whenOpen(2000);
    await t.write(Buffer.from('hello'));
    await until(() => data.length > 0);
    for (const s of sockets) s.destroy();
    await until(() => t.status.state === 'reconnecting');
    await t.whenOpen(3000);
    await t.write(Buffer.from('again'));
    await until(() => Buffer.concat(received).toString().includes('again'));
    expect(states.map((s) => s.state)).toEqual(['connecting', 'open', 'reconnecting', 'open']);
    expect(states[2]?.error).toBeTruthy();
  });

  it('a write while disconnected is a device-error, and the link keeps retrying a dead address', async () => {
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', () => r()));
    const port = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const t = createTransport(`tcp://127.0.0.1:${port}`, { backoff: { initialMs: 30, maxMs: 60 } });
    cleanups.push(() => t.close());
    t.open();
    await until(() => t.status.attempt >= 3);
    await expect(t.write(Buffer.from('x'))).rejects.toMatchObject({ code: 'device-error' });
    await expect(t.whenOpen(100)).rejects.toThrow(/did not open within 100 ms: .*ECONNREFUSED/);
  });
});

describe('printer-class device file (usb:/dev/usb/lpN)', () => {
  it('writes to the device file, is write-only, and never creates a missing one', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-lp-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const file = path.join(dir, 'lp0');
    fs.writeFileSync(file, '');
    const t = createTransport(`usb:${file}`, { backoff: { initialMs: 30, maxMs: 60 } });
    cleanups.push(() => t.close());
    expect(t.duplex).toBe(false);
    t.open();
    await t.whenOpen(2000);
    await t.write(Buffer.from([0x1b, 0x40, 0x41, 0x0a]));
    expect(fs.readFileSync(file)).toEqual(Buffer.from([0x1b, 0x40, 0x41, 0x0a]));
    const missing = createTransport(`usb:${path.join(dir, 'lp9')}`, { backoff: { initialMs: 30, maxMs: 60 } });
    cleanups.push(() => missing.close());
    missing.open();
    await until(() => missing.status.state === 'reconnecting');
    expect(missing.status.error).toMatch(/ENOENT/);
    expect(fs.existsSync(path.join(dir, 'lp9'))).toBe(false);
  });

  it('streams through a FIFO to a reader, as to a kernel printer device', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-fifo-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const fifo = path.join(dir, 'lp0');
    execFileSync('mkfifo', [fifo]);
    const reader = fs.createReadStream(fifo);
    const got: Buffer[] = [];
    reader.on('data', (d) => got.push(Buffer.from(d)));
    cleanups.push(() => {
      reader.destroy();
    });
    const t = createTransport(`usb:${fifo}`);
    cleanups.push(() => t.close());
    t.open();
    await t.whenOpen(2000);
    await t.write(Buffer.from('receipt bytes'));
    await until(() => Buffer.concat(got).toString() === 'receipt bytes');
  });
});

describe('USB through libusb', () => {
  it('says clearly what is missing when the device is not there', async () => {
    const t = new ManagedTransport(new UsbConnector(0x0483, 0x5743), { backoff: { initialMs: 1000, maxMs: 1000 } });
    cleanups.push(() => t.close());
    t.open();
    await until(() => t.status.state === 'reconnecting');
    expect(t.status.error).toMatch(/no USB device 0x0483:0x5743|cannot search the USB bus for 0x0483:0x5743 .*libusb needs/);
  });
});

describe('simulated link', () => {
  it('unplug and replug drive the same reconnect path as real ports', async () => {
    const sim = new SimulatedConnector('printer');
    const t = new ManagedTransport(sim, { backoff: { initialMs: 20, maxMs: 40 } });
    cleanups.push(() => t.close());
    const seen: Buffer[] = [];
    sim.on('data', (d) => seen.push(d));
    const got: Buffer[] = [];
    t.on('data', (d) => got.push(d));
    t.open();
    await t.whenOpen(500);
    await t.write(Buffer.from('a'));
    expect(sim.send('b')).toBe(true);
    sim.unplug();
    expect(t.status.state).toBe('reconnecting');
    // two more attempts failed while unplugged: the link kept reconnecting and never claimed to be open
    const states: string[] = [];
    t.on('status', (st) => states.push(st.state));
    await until(() => t.status.attempt >= 3);
    expect(states.every((st) => st === 'reconnecting')).toBe(true);
    sim.replug();
    await t.whenOpen(500);
    expect(Buffer.concat(seen).toString()).toBe('a');
    expect(Buffer.concat(got).toString()).toBe('b');
  });
});
