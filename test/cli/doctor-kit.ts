/**
 * A healthy enrolled till for the doctor tests, built the way IT staff build
 * one: a ledger with the catalog, users and store settings (the store's UTC
 * offset this computer's), enrolled with a hub over TLS with its certificate
 * pinned, everything pushed (till sync --until-idle), the simulated devices
 * in devices.json, a fresh backup, the data directory 0700 and its files 0600.
 * Sales can be rung up on given days first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startSimulatedDevices, type SimulatedDevices } from '../../drivers';
import { openLedger } from '../../src/ledger/index';
import { createTerminal, importCatalog, saveUser } from '../../src/terminal';
import { till } from '../support/till';
import { enrollLedger, startSqliteHub, type SqliteHub } from '../sync/setup';
import { selfSignedCert } from '../hub/fixtures';
import type { Cleanup } from '../support/wait';
import { P, SETTINGS, USERS } from '../terminal/fixture';
import { ringUp } from '../terminal/ring-up';

export const localOffset = (): number => -new Date().getTimezoneOffset();

export interface TlsHub extends SqliteHub {
  ca: string;
}

export async function startTlsHub(certDir: string, days = 365): Promise<TlsHub> {
  const pair = selfSignedCert(certDir, `till-hub-${days}`, days);
  const h = await startSqliteHub({ tls: pair });
  return { ...h, ca: pair.cert };
}

export interface Till {
  dir: string;
  id: string;
  sim: SimulatedDevices | null;
}

let tills = 0;

export function doctorKit(cleanups: Cleanup[]) {
  function tmp(): string {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'till-doctor-'));
    cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
    return d;
  }

  async function healthyTill(o: { hub: TlsHub | null; devices?: boolean; salesOn?: Date[]; offset?: number; settings?: boolean }): Promise<Till> {
    const base = tmp();
    const dir = path.join(base, 'data');
    fs.mkdirSync(dir, { mode: 0o700 });
    const code = `D${++tills}`;
    const t = createTerminal({ dataDir: dir, create: { store: 'S1', terminal: code }, log: () => undefined });
    try {
      importCatalog(t.ledger, Object.values(P), { promotions: [], ...(o.settings === false ? {} : { settings: { ...SETTINGS, utcOffsetMinutes: o.offset ?? localOffset() } }), members: [] });
      for (const u of Object.values(USERS)) saveUser(t.ledger, u);
    } finally {
      t.close();
    }
    if (o.salesOn?.length) await ringUp(dir, o.salesOn.map((at) => ({ at, codes: [P.water.barcodes[0] as string] })));
    if (o.hub) {
      const ledger = openLedger(dir);
      try {
        await enrollLedger(o.hub.hub, o.hub.store, ledger, o.hub.hub.url, o.hub.ca);
      } finally {
        ledger.close();
      }
      const synced = await till('sync', '--data', dir, '--until-idle', '--timeout', '20');
      if (synced.code !== 0) throw new Error(`till sync failed: ${synced.err}`);
    }
    let sim: SimulatedDevices | null = null;
    if (o.devices !== false) {
      const s = await startSimulatedDevices({ dir: path.join(base, 'sim') });
      sim = s;
      cleanups.push(() => s.stop());
      fs.writeFileSync(path.join(dir, 'devices.json'), JSON.stringify(s.config), { mode: 0o600 });
    }
    const backup = await till('backup', '--data', dir, '--to', path.join(dir, 'backups'));
    if (backup.code !== 0) throw new Error(`till backup failed: ${backup.err}`);
    fs.chmodSync(dir, 0o700);
    for (const f of ['ledger.db', 'devices.json', 'hub-credentials.json']) if (fs.existsSync(path.join(dir, f))) fs.chmodSync(path.join(dir, f), 0o600);
    return { dir, id: `S1/${code}`, sim };
  }

  return { tmp, healthyTill };
}
