/**
 * The whole simulated device set, each speaking the real protocol from the
 * other side: a scanner writing into a pty, the virtual printer on TCP, a
 * customer display and (optionally) a serial drawer on ptys. It returns the
 * devices config that points createDevices() at them, for the demo
 * (`npm start`) and the end-to-end tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SimulatedDisplay } from './display/simulated-display';
import { SimulatedDrawer } from './drawer/simulated-drawer';
import { VirtualPrinter } from './printer/virtual-printer';
import { SimulatedScanner } from './scanner/simulated-scanner';
import type { DevicesConfigInput } from './config';

export interface SimulatedDevicesOptions {
  /** where the ptys and the printed receipts (DIR/receipts) go */
  dir: string;
  width?: 58 | 80;
  /** 'printer' (default): the drawer hangs off the virtual printer; 'serial': a kick box on a pty */
  drawer?: 'printer' | 'serial';
  /** the drawer closes by itself this long after a kick (default 3000 ms) */
  drawerCloseAfterMs?: number;
  printerPort?: number;
}

export interface SimulatedDevices {
  config: DevicesConfigInput;
  printer: VirtualPrinter;
  scanner: SimulatedScanner;
  display: SimulatedDisplay;
  drawer: SimulatedDrawer | null;
  stop(): Promise<void>;
}

export async function startSimulatedDevices(o: SimulatedDevicesOptions): Promise<SimulatedDevices> {
  fs.mkdirSync(o.dir, { recursive: true });
  const width = o.width ?? 80;
  const started: Array<() => Promise<void>> = [];
  try {
    const printer = new VirtualPrinter({ port: o.printerPort ?? 0, outDir: path.join(o.dir, 'receipts'), width, idleMs: 500, drawerCloseAfterMs: o.drawerCloseAfterMs ?? 3000 });
    const port = await printer.start();
    started.push(() => printer.stop());
    const scanner = await SimulatedScanner.open(path.join(o.dir, 'scanner.tty'), 'CR');
    started.push(() => scanner.close());
    const display = await SimulatedDisplay.open(path.join(o.dir, 'display.tty'));
    started.push(() => display.unplug());
    const drawer = o.drawer === 'serial' ? await SimulatedDrawer.open(path.join(o.dir, 'drawer.tty'), o.drawerCloseAfterMs ?? 3000) : null;
    if (drawer) started.push(() => drawer.unplug());
    const config: DevicesConfigInput = {
      scanner: { kind: 'serial', path: scanner.path, suffix: 'CR' },
      printer: { address: `tcp://127.0.0.1:${port}`, width },
      drawer: drawer ? { kind: 'serial', path: drawer.path } : { kind: 'printer' },
      display: { path: display.path, dialect: 'cd5220', charset: 'gb18030' },
      reconnect: { initialMs: 100, maxMs: 2000 },
    };
    return {
      config,
      printer,
      scanner,
      display,
      drawer,
      stop: async () => {
        for (const s of started.reverse()) await s().catch(() => undefined);
      },
    };
  } catch (e) {
    for (const s of started.reverse()) await s().catch(() => undefined);
    throw e;
  }
}
