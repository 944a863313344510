/**
 * A development terminal: creates the ledger in a data directory if there is
 * none, seeds the sample catalog that `till init` seeds (resources/catalog)
 * and the demo staff into an empty one, and serves the cashier UI through the
 * lane server, with the simulated devices (scanner and customer display on
 * ptys, the virtual printer on 127.0.0.1 writing every receipt to
 * DATA/receipts as text and PNG, the drawer on the printer's kick port) and
 * their HTTP control, composed by startTerminalRuntime like every terminal
 * (so an enrolled demo data directory replicates to its hub). Used by `npm start` (the window needs the same seeded
 * data directory, and the headless fallback serves it to a browser) and by
 * the end-to-end tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Role } from '../src/shared/contract/define';
import type { Ledger } from '../src/ledger/index';
import { lineLogger } from '../src/shared/logger';
import { catalogVersion, createTerminal, readTerminalConfig, writeTerminalConfig, findUser, saveUser, seedSampleCatalog, startTerminalRuntime, DEVICES_FILE, PAYMENTS_FILE, type Terminal, type TerminalRuntime } from '../src/terminal/index';
import type { LaneServer } from '../src/terminal/index';
import { saveOperations } from '../src/terminal/index';
import { DEFAULT_OPERATIONS } from '../src/core/operations';
import { createDevices, startSimulatedControl, startSimulatedDevices, type DeviceManager, type SimulatedDevices } from '../drivers/index';

const ROOT = path.resolve(import.meta.dirname, '..');
export const RENDERER_DIR = path.join(ROOT, 'out/renderer');

/** the demo staff; never shipped to a store (a store's first admin comes from till init) */
export const DEMO_STAFF: ReadonlyArray<{ code: string; name: string; role: Role; pin: string }> = [
  { code: '1001', name: '张三', role: 'cashier', pin: '1234' },
  { code: '9001', name: '李主管', role: 'supervisor', pin: '9999' },
  { code: '9000', name: '店长', role: 'admin', pin: '9000' },
];

/** fills an empty catalog with the sample catalog and adds missing demo staff; returns what it did */
export function seedDemo(ledger: Ledger): string[] {
  const did: string[] = [];
  if (catalogVersion(ledger.db) === 0) {
    const r = seedSampleCatalog(ledger);
    did.push(`loaded the sample catalog: ${r.products} products, ${r.promotions} promotions, ${r.members} members`);
  }
  if (!ledger.db.prepare('SELECT 1 FROM operations_settings').get()) {
    saveOperations(ledger, { ...DEFAULT_OPERATIONS, shiftRequired: false });
    did.push('demo store: selling without an open shift');
  }
  for (const s of DEMO_STAFF) {
    if (findUser(ledger, s.code)) continue;
    saveUser(ledger, s);
    did.push(`added ${s.role} ${s.code}`);
  }
  return did;
}

/** one line per demo user with the PIN, printed at every start: this is a demo store, never a real one (till init makes no known PIN) */
export const staffLines = (): string[] => DEMO_STAFF.map((s) => `DEMO STORE (known PINs, not for real use): sign in as ${s.role} ${s.code} ${s.name}, PIN ${s.pin}`);

export interface DemoDevices {
  sim: SimulatedDevices;
  manager: DeviceManager;
  control: http.Server;
  controlUrl: string;
  stop(): Promise<void>;
}

export interface DemoSimulators {
  sim: SimulatedDevices;
  /** the devices config that reaches them (what an IT person would write to DATA/devices.json) */
  config: SimulatedDevices['config'];
  control: http.Server;
  controlUrl: string;
  stop(): Promise<void>;
}

/**
 * The simulated devices alone (virtual printer writing to DATA/receipts, ptys
 * DATA/scanner.tty and DATA/display.tty, the HTTP control), for a terminal in
 * another process to open: the Electron window of npm start.
 */
export async function startDemoSimulators(dataDir: string, controlPort = 0): Promise<DemoSimulators> {
  const sim = await startSimulatedDevices({ dir: dataDir, width: 80, drawerCloseAfterMs: 3000 });
  let control: http.Server;
  try {
    control = await startSimulatedControl(sim, controlPort);
  } catch (e) {
    await sim.stop();
    throw e;
  }
  const c = control;
  return {
    sim,
    config: sim.config.printer ? { ...sim.config, printer: { ...sim.config.printer, retryMs: 500 } } : sim.config,
    control: c,
    controlUrl: `http://127.0.0.1:${(c.address() as AddressInfo).port}/`,
    stop: async () => {
      await new Promise<void>((r) => c.close(() => r()));
      await sim.stop();
    },
  };
}

export const DEMO_DEVICES_MARKER = '.demo-devices';

/**
 * Devices for the Electron window of npm start, whose terminal opens the
 * devices of DATA/devices.json. A devices.json that IT staff wrote is left
 * alone (null); otherwise the simulated devices run in this process and their
 * config is written there, marked as the demo's so the next start replaces it.
 */
export async function devicesForWindow(dataDir: string, log: (line: string) => void): Promise<DemoSimulators | null> {
  const file = path.join(dataDir, DEVICES_FILE);
  const marker = path.join(dataDir, DEMO_DEVICES_MARKER);
  if (fs.existsSync(file) && !fs.existsSync(marker)) {
    log(`devices from ${file}`);
    return null;
  }
  const sims = await startDemoSimulators(dataDir);
  fs.writeFileSync(file, JSON.stringify(sims.config, null, 2) + '\n');
  fs.writeFileSync(marker, 'devices.json was written by npm start for the simulated devices\n');
  log(`simulated devices: receipts in ${path.join(dataDir, 'receipts')}, control ${sims.controlUrl}`);
  return sims;
}

/** the simulated devices with their receipts in DATA/receipts, the manager on them, and the HTTP control */
export async function startDemoDevices(dataDir: string, controlPort = 0): Promise<DemoDevices> {
  const sims = await startDemoSimulators(dataDir, controlPort);
  let manager: DeviceManager | null = null;
  try {
    manager = createDevices(sims.config);
    manager.start();
    await manager.whenReady(5000);
  } catch (e) {
    await manager?.stop();
    await sims.stop();
    throw e;
  }
  const m = manager;
  return {
    sim: sims.sim,
    manager: m,
    control: sims.control,
    controlUrl: sims.controlUrl,
    stop: async () => {
      await m.stop();
      await sims.stop();
    },
  };
}

export interface DemoOptions {
  dataDir: string;
  host?: string;
  port?: number;
  staticDir?: string;
  log?: (line: string) => void;
  /** run the simulated devices (default true) */
  devices?: boolean;
  /** port of the devices' HTTP control (default: any free port) */
  controlPort?: number;
  /** serve the lane over TLS (default: when host is not loopback) */
  tls?: boolean;
}

/** creates and seeds the data directory, then closes it (the window opens it next) */
export function prepareDemoData(dataDir: string, log: (line: string) => void = () => undefined): void {
  const t = createTerminal({ dataDir, create: { store: 'S001', terminal: 'T01' }, log });
  try {
    for (const line of [...seedDemo(t.ledger), ...staffLines()]) log(line);
  } finally {
    t.close();
  }
  // the demo takes payment codes in the sandbox, chosen explicitly (the status bar says 沙箱支付); a payments.json IT staff wrote is left alone
  const payments = path.join(dataDir, PAYMENTS_FILE);
  if (!fs.existsSync(payments)) {
    fs.writeFileSync(payments, JSON.stringify({ mode: 'sandbox', timeoutSeconds: 30, pollSeconds: 1 }, null, 2) + '\n', { mode: 0o600 });
    log('payments: sandbox (DATA/payments.json written for the demo)');
  }
  // the demo store is set up already: its language is chosen, so the first-run set-up does not open by itself
  if (!readTerminalConfig(dataDir).exists) writeTerminalConfig(dataDir, { language: 'zh-CN' });
}

export interface DemoTerminal {
  terminal: Terminal;
  server: LaneServer;
  /** null when started with devices: false */
  devices: DemoDevices | null;
  runtime: TerminalRuntime;
  close(): Promise<void>;
}

export async function startDemoTerminal(o: DemoOptions): Promise<DemoTerminal> {
  const log = o.log ?? (() => undefined);
  const devices = o.devices === false ? null : await startDemoDevices(o.dataDir, o.controlPort ?? 0);
  // the ledger is created and seeded before the runtime opens it, so the replicator starts on the seeded journal
  try {
    prepareDemoData(o.dataDir, log);
  } catch (e) {
    await devices?.stop();
    throw e;
  }
  let runtime: TerminalRuntime;
  try {
    runtime = await startTerminalRuntime({
      dataDir: o.dataDir,
      logger: lineLogger(log),
      devices: devices ? devices.manager : null,
      lane: { staticDir: o.staticDir ?? RENDERER_DIR, host: o.host ?? '127.0.0.1', port: o.port ?? 0, ...(o.tls !== undefined ? { tls: o.tls } : {}) },
    });
  } catch (e) {
    await devices?.stop();
    throw e;
  }
  const server = runtime.lane as LaneServer;
  if (devices) {
    log(`simulated devices: receipts print to ${path.join(o.dataDir, 'receipts')}`);
    log(`device control: ${devices.controlUrl} (scan/CODE, paper-out, paper-ok, drawer-close, scanner-unplug, scanner-replug, ...)`);
  }
  log(runtime.sync ? `replicating to ${runtime.sync.credentials.hubUrl}` : 'not enrolled with a hub: selling offline');
  return {
    terminal: runtime.terminal,
    server,
    devices,
    runtime,
    close: async () => {
      await runtime.close();
      await devices?.stop();
    },
  };
}
