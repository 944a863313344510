import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDevices, parseDevicesConfig, startSimulatedDevices, type DeviceManager, type PrintJob, type Scan, type SimulatedDevices } from '../../drivers';
import type { ReceiptDocument } from '../../src/shared/receipt';
import { cleanupsAfterEach, until } from '../support/wait';

const cleanups = cleanupsAfterEach();

describe('devices config', () => {
  it('names the bad field', () => {
    expect(() => parseDevicesConfig({ printer: { address: 'tcp://x', width: 76 } })).toThrow(/devices config: printer\.width:/);
    expect(() => parseDevicesConfig({ printer: { address: 'lpt1' } })).toThrow(/printer\.address: bad device address 'lpt1'/);
    expect(() => parseDevicesConfig({ scanner: { kind: 'serial', suffix: 'TAB', path: '/dev/x' } })).toThrow(/scanner\.suffix/);
    expect(() => parseDevicesConfig({ drawer: { kind: 'serial' } })).toThrow(/drawer\.path: a serial drawer needs its port path/);
    expect(() => parseDevicesConfig({ drawer: { kind: 'printer' } })).toThrow(/drawer\.kind: a drawer of kind 'printer' needs a printer/);
    expect(() => createDevices({ display: { path: '' } })).toThrow(expect.objectContaining({ code: 'config-invalid', details: { field: 'display.path' } }));
    expect(() => createDevices({ printer: { address: 'tcp://127.0.0.1:1', logo: '/nonexistent/logo.png' } })).toThrow(/devices config: printer\.logo: cannot read the receipt logo/);
  });

  it('fills defaults', () => {
    const c = parseDevicesConfig({ printer: { address: 'tcp://10.0.0.9' }, scanner: { kind: 'serial', path: '/dev/ttyACM0' } });
    expect(c.printer).toMatchObject({ width: 80, retryMs: 2000 });
    expect(c.scanner).toMatchObject({ suffix: 'CR', baudRate: 9600, minLength: 3 });
  });
});

describe('the device manager on the simulated device set', () => {
  async function start(drawer: 'printer' | 'serial', extra: { waitForClose?: boolean } = {}): Promise<{ sim: SimulatedDevices; dm: DeviceManager }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-devices-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const sim = await startSimulatedDevices({ dir, drawer, drawerCloseAfterMs: 60_000 });
    cleanups.push(() => sim.stop());
    const config = { ...sim.config, drawer: { ...sim.config.drawer, waitForClose: extra.waitForClose ?? false } };
    const dm = createDevices({ ...config, printer: { ...sim.config.printer, retryMs: 100, statusTimeoutMs: 400 } });
    cleanups.push(() => dm.stop());
    dm.start();
    await dm.whenReady(5000);
    return { sim, dm };
  }

  const sale: ReceiptDocument = {
    receiptNo: 'S-1',
    kind: 'sale',
    openDrawer: true,
    blocks: [{ kind: 'logo' }, { kind: 'text', text: '谢谢惠顾', align: 'center' }, { kind: 'barcode', data: 'S-1', symbology: 'CODE128' }],
  };

  it('scans arrive, a receipt prints with the drawer kick, the display shows the sale, status is reported', async () => {
    const { sim, dm } = await start('printer', { waitForClose: true });
    const scans: Scan[] = [];
    dm.on('scan', (s) => scans.push(s));
    await sim.scanner.scan('6901234567892');
    await until(() => scans.length === 1);
    expect(scans[0]).toMatchObject({ code: '6901234567892', source: `serial:${sim.scanner.path}` });

    await dm.display?.showItem('矿泉水', 200);
    await until(() => sim.display.screen.lamp === 1);
    expect(sim.display.screen.rows[0].trim()).toBe('矿泉水');

    const job = sim.printer.next('job', 5000);
    const id = dm.printReceipt(sale);
    const printed = await job;
    expect(printed.lines).toContain('谢谢惠顾');
    expect(printed.text).toContain(`\n${' '.repeat(20)}谢谢惠顾\n`);
    expect(printed.items).toContainEqual(expect.objectContaining({ kind: 'drawer', onMs: 50, offMs: 500 }));
    expect(printed.items.some((i) => i.kind === 'image')).toBe(true);
    await dm.whenPrinted();
    expect(dm.jobs().find((j) => j.id === id)?.state).toBe('done');
    expect(await dm.drawerState()).toBe('open');

    let ready = false;
    let openReads = 0;
    sim.printer.on('status', (q) => void (q.query === 'dle-eot' && q.n === 1 && q.condition.drawerOpen && (openReads += 1)));
    const wait = dm.untilReadyForSale({ pollMs: 30 }).then(() => (ready = true));
    // the printer has reported the drawer open to the wait three times, and the sale still waits
    await until(() => openReads >= 3);
    expect(ready).toBe(false);
    sim.printer.set({ drawerOpen: false });
    await wait;

    const st = dm.status();
    expect(st.scanner).toMatchObject({ kind: 'serial', link: { state: 'open' } });
    expect(st.printer).toMatchObject({ link: { state: 'open' }, waitingJobs: 0 });
    expect(st.display).toMatchObject({ link: { state: 'open' } });
    expect(st.drawer).toMatchObject({ kind: 'printer', waitForClose: true });
  });

  it('paper out: the sale gets its job id, the cashier is told through events, and it prints once the paper is back', async () => {
    const { sim, dm } = await start('printer');
    const events: PrintJob[] = [];
    dm.on('job', (j) => events.push(j));
    sim.printer.set({ paperOut: true });
    const id = dm.printReceipt({ ...sale, openDrawer: false });
    await until(() => events.some((e) => e.id === id && e.state === 'waiting'));
    expect(dm.status().printer?.status.state).toBe('paper-out');
    expect(dm.status().printer?.waitingJobs).toBe(1);
    const job = sim.printer.next('job', 5000);
    sim.printer.set({ paperOut: false });
    expect((await job).lines).toContain('谢谢惠顾');
    await until(() => events.some((e) => e.id === id && e.state === 'done'));
  });

  it('test actions, a serial drawer, and unplugged devices recovering', async () => {
    const { sim, dm } = await start('serial');
    const job = sim.printer.next('job', 5000);
    expect(await dm.test('print')).toMatch(/test receipt queued as job/);
    expect((await job).lines.join('\n')).toContain('打印测试');
    expect(await dm.test('drawer')).toBe('drawer kicked; it reads open');
    expect(sim.drawer?.kicks).toBe(1);
    expect(await dm.test('display')).toMatch(/display test sent/);
    await until(() => sim.display.screen.rows[0].includes('欢迎光临'));

    const states: string[] = [];
    dm.on('status', (s) => states.push(s.scanner && 'link' in s.scanner ? s.scanner.link.state : 'none'));
    await sim.scanner.unplug();
    await until(() => states.includes('reconnecting'));
    await sim.scanner.replug();
    await until(() => dm.status().scanner !== null && 'link' in (dm.status().scanner ?? {}) && states[states.length - 1] === 'open');
    const scans: Scan[] = [];
    dm.on('scan', (s) => scans.push(s));
    await sim.scanner.scan('AFTER-REPLUG');
    await until(() => scans.length === 1);

    sim.printer.dropConnections();
    const again = sim.printer.next('job', 5000);
    dm.printReceipt({ ...sale, openDrawer: false, receiptNo: 'S-2' });
    expect((await again).lines).toContain('谢谢惠顾');
  });

  it('refuses actions on devices that are not configured, with a clear message', async () => {
    const dm = createDevices({});
    await expect(dm.openDrawer()).rejects.toThrow('no cash drawer is configured');
    expect(() => dm.printReceipt(sale)).toThrow('no receipt printer is configured');
    await expect(dm.test('display')).rejects.toThrow('no customer display is configured');
    expect(dm.display).toBeNull();
    await dm.untilReadyForSale();
  });
});
