/**
 * A development terminal: creates the ledger in a data directory if there is
 * none, loads the demo catalog and staff of resources/config/demo-catalog.json
 * into an empty catalog, and serves the cashier UI through the lane server.
 * Used by `npm start` (the window needs the same seeded data directory, and
 * the headless fallback serves it to a browser) and by the end-to-end tests.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Promotion, Product } from '../src/shared/contract/catalog';
import type { Role } from '../src/shared/contract/define';
import type { Ledger } from '../src/ledger/index';
import { catalogVersion, createTerminal, findUser, importCatalog, saveUser, type Terminal } from '../src/terminal/index';
import { startLaneServer, type LaneServer } from '../src/terminal/lane-server';
import { saveOperations } from '../src/terminal/operations';
import { DEFAULT_OPERATIONS } from '../src/core/operations';

const ROOT = path.resolve(import.meta.dirname, '..');
export const DEMO_CATALOG = path.join(ROOT, 'resources/config/demo-catalog.json');
export const RENDERER_DIR = path.join(ROOT, 'out/renderer');

interface DemoFile {
  products: Product[];
  promotions: Promotion[];
  staff: { code: string; name: string; role: Role; pin: string }[];
}

export const readDemo = (): DemoFile => JSON.parse(fs.readFileSync(DEMO_CATALOG, 'utf8')) as DemoFile;

/** fills an empty catalog and adds missing demo staff; returns what it did */
export function seedDemo(ledger: Ledger): string[] {
  const demo = readDemo();
  const did: string[] = [];
  if (catalogVersion(ledger.db) === 0) {
    importCatalog(ledger, demo.products, { promotions: demo.promotions });
    did.push(`loaded ${demo.products.length} demo products`);
  }
  if (!ledger.db.prepare('SELECT 1 FROM operations_settings').get()) {
    // the cashier UI has no shift screen yet: the demo store sells without an open shift
    saveOperations(ledger, { ...DEFAULT_OPERATIONS, shiftRequired: false });
    did.push('demo store: selling without an open shift');
  }
  for (const s of demo.staff) {
    if (findUser(ledger, s.code)) continue;
    saveUser(ledger, s);
    did.push(`added ${s.role} ${s.code} (PIN ${s.pin})`);
  }
  return did;
}

export interface DemoOptions {
  dataDir: string;
  host?: string;
  port?: number;
  staticDir?: string;
  log?: (line: string) => void;
}

/** creates and seeds the data directory, then closes it (the window opens it next) */
export function prepareDemoData(dataDir: string, log: (line: string) => void = () => undefined): void {
  const t = createTerminal({ dataDir, create: { store: 'S001', terminal: 'T01' }, log });
  try {
    for (const line of seedDemo(t.ledger)) log(line);
  } finally {
    t.close();
  }
}

export interface DemoTerminal {
  terminal: Terminal;
  server: LaneServer;
  close(): Promise<void>;
}

export async function startDemoTerminal(o: DemoOptions): Promise<DemoTerminal> {
  const log = o.log ?? (() => undefined);
  const terminal = createTerminal({ dataDir: o.dataDir, create: { store: 'S001', terminal: 'T01' }, log });
  let server: LaneServer;
  try {
    for (const line of seedDemo(terminal.ledger)) log(line);
    server = await startLaneServer({ terminal, staticDir: o.staticDir ?? RENDERER_DIR, host: o.host ?? '127.0.0.1', port: o.port ?? 0 });
  } catch (e) {
    terminal.close();
    throw e;
  }
  return {
    terminal,
    server,
    close: async () => {
      await server.close();
      terminal.close();
    },
  };
}
