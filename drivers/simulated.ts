/**
 * The whole simulated device set, each speaking the real protocol from the
 * other side: a scanner writing into a pty, the virtual printer on TCP, a
 * customer display and (optionally) a serial drawer on ptys. It returns the
 * devices config that points createDevices() at them, for the demo
 * (`npm start`) and the end-to-end tests.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { SimulatedDisplay } from './display/simulated-display';
import { SimulatedDrawer } from './drawer/simulated-drawer';
import { VirtualPrinter } from './printer/virtual-printer';
import { CONTROL_ACTIONS } from './printer/virtual-printer-control';
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

/**
 * HTTP control of a running simulated set (127.0.0.1 only), for the demo and
 * for tests in other processes:
 *   GET /                      devices config, printer condition, display screen, jobs printed
 *   GET /scan/CODE             the scanner reads CODE
 *   GET /scanner-unplug, /scanner-replug
 *   GET /drawer-close          the cashier shuts the drawer (serial or printer drawer)
 *   GET /paper-out ...         every virtual printer action (see CONTROL_ACTIONS)
 */
export function startSimulatedControl(sim: SimulatedDevices, port: number): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0] ?? '/';
    const [action = '', ...rest] = url.replace(/^\/+|\/+$/g, '').split('/');
    const reply = (code: number, body: unknown) => {
      res.writeHead(code, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body) + '\n');
    };
    const done = (p: Promise<unknown>) =>
      p.then(
        () => reply(200, { ok: true, action }),
        (e: unknown) => reply(500, { error: e instanceof Error ? e.message : String(e) }),
      );
    switch (action) {
      case '':
        reply(200, { config: sim.config, printer: sim.printer.condition, display: sim.display.screen, jobs: sim.printer.jobs.length });
        return;
      case 'scan':
        if (!rest.length) {
          reply(400, { error: 'usage: /scan/CODE' });
          return;
        }
        void done(sim.scanner.scan(decodeURIComponent(rest.join('/'))));
        return;
      case 'scanner-unplug':
        void done(sim.scanner.unplug());
        return;
      case 'scanner-replug':
        void done(sim.scanner.replug());
        return;
      case 'drawer-close':
        if (sim.drawer) sim.drawer.close();
        else sim.printer.set({ drawerOpen: false });
        reply(200, { ok: true, action });
        return;
      default: {
        const change = CONTROL_ACTIONS[action];
        if (!change) {
          reply(404, { error: `unknown action '${action}'; known: scan/CODE, scanner-unplug, scanner-replug, drawer-close, ${Object.keys(CONTROL_ACTIONS).join(', ')}` });
          return;
        }
        if (change === 'drop') sim.printer.dropConnections();
        else sim.printer.set(change);
        reply(200, { ok: true, action, condition: sim.printer.condition });
      }
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve(server);
    });
  });
}
