import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { drawerStateFromPin, PrinterDrawer, SerialDrawer, untilDrawerClosed } from '../../../drivers/drawer/drawer';
import { SimulatedDrawer } from '../../../drivers/drawer/simulated-drawer';
import { EscPosPrinter } from '../../../drivers/printer/escpos-printer';
import { VirtualPrinter } from '../../../drivers/printer/virtual-printer';
import { ManagedTransport } from '../../../drivers/transport/managed';
import { SerialConnector } from '../../../drivers/transport/serial';
import { TcpConnector } from '../../../drivers/transport/tcp';
import { cleanupsAfterEach, until } from '../../support/wait';

const cleanups = cleanupsAfterEach();

describe('drawer state from DLE EOT 1 bit 2', () => {
  it('depends on the configured open level', () => {
    expect(drawerStateFromPin(false, 'low')).toBe('open');
    expect(drawerStateFromPin(true, 'low')).toBe('closed');
    expect(drawerStateFromPin(true, 'high')).toBe('open');
    expect(drawerStateFromPin(null, 'low')).toBe('unknown');
  });
});

describe('drawer through the printer', () => {
  it('kicks with ESC p and its timing, reads open, and the wait resolves when it is pushed shut', async () => {
    const vp = new VirtualPrinter({ port: 0, idleMs: 100 });
    const port = await vp.start();
    cleanups.push(() => vp.stop());
    const t = new ManagedTransport(new TcpConnector({ host: '127.0.0.1', port }));
    cleanups.push(() => t.close());
    const printer = new EscPosPrinter(t, { statusTimeoutMs: 400 });
    t.open();
    await t.whenOpen(2000);
    const drawer = new PrinterDrawer(printer);
    expect(await drawer.state()).toBe('closed');
    const job = vp.next('job', 3000);
    await drawer.open();
    expect((await job).items).toContainEqual({ kind: 'drawer', pin: 2, onMs: 50, offMs: 500, realtime: false });
    expect(await drawer.state()).toBe('open');
    let closed = false;
    let openReads = 0;
    vp.on('status', (q) => void (q.query === 'dle-eot' && q.n === 1 && q.condition.drawerOpen && (openReads += 1)));
    const wait = untilDrawerClosed(drawer, { pollMs: 30 }).then((s) => {
      closed = true;
      return s;
    });
    // the wait has read the drawer open three times and is still waiting
    await until(() => openReads >= 3);
    expect(closed).toBe(false);
    vp.set({ drawerOpen: false });
    expect(await wait).toBe('closed');
  });

  it('uses the real-time pulse (DLE DC4) when the printer is offline', async () => {
    const vp = new VirtualPrinter({ port: 0, idleMs: 100 });
    const port = await vp.start();
    cleanups.push(() => vp.stop());
    const t = new ManagedTransport(new TcpConnector({ host: '127.0.0.1', port }));
    cleanups.push(() => t.close());
    const printer = new EscPosPrinter(t, { statusTimeoutMs: 400 });
    t.open();
    await t.whenOpen(2000);
    vp.set({ paperOut: true });
    await new PrinterDrawer(printer).open();
    await until(() => vp.condition.drawerOpen);
  });
});

describe('serial drawer on a pty', () => {
  it('opens, reports open, and closed after the cashier shuts it; abort stops a wait', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-drawer-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const sim = await SimulatedDrawer.open(path.join(dir, 'drawer'));
    cleanups.push(() => sim.unplug());
    const t = new ManagedTransport(new SerialConnector({ path: sim.path }));
    cleanups.push(() => t.close());
    t.open();
    await t.whenOpen(2000);
    const drawer = new SerialDrawer(t);
    const states: string[] = [];
    drawer.on('state', (s) => states.push(s));
    expect(await drawer.state()).toBe('closed');
    await drawer.open();
    await until(() => sim.kicks > 0);
    expect(sim.kicks).toBe(1);
    expect(await drawer.state()).toBe('open');
    const ac = new AbortController();
    const aborted = untilDrawerClosed(drawer, { pollMs: 20, signal: ac.signal });
    ac.abort();
    await expect(aborted).rejects.toThrow(/stopped waiting/);
    sim.close();
    expect(await untilDrawerClosed(drawer, { pollMs: 20 })).toBe('closed');
    expect(states).toEqual(['closed', 'open', 'closed']);
  });
});
