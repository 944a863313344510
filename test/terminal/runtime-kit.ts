/**
 * Running terminals for the runtime tests: a data directory (a new lane of
 * store S01) with the fixture's catalog, users and an open shift, enrolled
 * with a hub when given; the runtime started on it; a cashier signed in; a
 * cash sale.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunningHub } from '../../src/hub/server';
import type { HubStore } from '../../src/hub/store/types';
import type { SyncStatusView } from '../../src/shared/contract/sync';
import { lineLogger } from '../../src/shared/logger';
import { createTerminal, importCatalog, saveUser, SandboxPaymentProvider, startTerminalRuntime, type RuntimeOptions, type TerminalRuntime } from '../../src/terminal';
import { enrollLedger } from '../sync/setup';
import type { Cleanup } from '../support/wait';
import { P, PROMOS, SETTINGS, USERS } from './fixture';

export const WATER = P.water.barcodes[0] as string;
export const runtimeClock = () => new Date('2026-06-01T04:00:00.000Z');
const tuning = { statusIntervalMs: 100, backoff: { baseMs: 20, maxMs: 200 } };

let lanes = 0;

export function runtimeKit(cleanups: Cleanup[]) {
  async function dataDir(hub?: { hub: RunningHub; store: HubStore }, clock: () => Date = runtimeClock): Promise<string> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-rt-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const t = createTerminal({ dataDir: dir, clock, create: { store: 'S01', terminal: `T${++lanes}` }, log: () => undefined });
    try {
      importCatalog(t.ledger, Object.values(P), { promotions: PROMOS, settings: SETTINGS, members: [] });
      for (const u of Object.values(USERS)) saveUser(t.ledger, u);
      const login = await t.dispatch('auth.login', { userCode: USERS.cashier.code, pin: USERS.cashier.pin }, {});
      if (!login.ok) throw new Error(login.error.message);
      const shift = await t.dispatch('shift.open', { float: [] }, { sessionToken: (login.value as { sessionToken: string }).sessionToken });
      if (!shift.ok) throw new Error(shift.error.message);
      if (hub) await enrollLedger(hub.hub, hub.store, t.ledger);
    } finally {
      t.close();
    }
    return dir;
  }

  async function start(dir: string, log: string[] = [], extra: Partial<RuntimeOptions> = {}): Promise<TerminalRuntime> {
    const rt = await startTerminalRuntime({
      dataDir: dir,
      clock: runtimeClock,
      logger: lineLogger((l) => void log.push(l)),
      paymentProvider: new SandboxPaymentProvider({ timeoutMs: 200, pollMs: 20 }),
      syncTuning: tuning,
      ...extra,
    });
    cleanups.push(() => rt.close());
    return rt;
  }

  async function signIn(rt: TerminalRuntime, who: { code: string; pin: string } = USERS.cashier): Promise<string> {
    const r = await rt.terminal.dispatch('auth.login', { userCode: who.code, pin: who.pin }, {});
    if (!r.ok) throw new Error(r.error.message);
    return (r.value as { sessionToken: string }).sessionToken;
  }

  /** one bottle of water paid in cash; returns the receipt number */
  async function sellWater(rt: TerminalRuntime, sessionToken: string): Promise<string> {
    const scan = await rt.terminal.dispatch('cart.scan', { code: WATER }, { sessionToken });
    if (!scan.ok) throw new Error(scan.error.message);
    const paid = await rt.terminal.dispatch('tender.cash', { tendered: 1000 }, { sessionToken });
    if (!paid.ok) throw new Error(paid.error.message);
    const done = (paid.value as { completed: { receiptNo: string } | null }).completed;
    if (!done) throw new Error('the sale did not complete');
    return done.receiptNo;
  }

  async function syncStatus(rt: TerminalRuntime, sessionToken: string): Promise<SyncStatusView> {
    const r = await rt.terminal.dispatch('sync.status', {}, { sessionToken });
    if (!r.ok) throw new Error(r.error.message);
    return r.value as SyncStatusView;
  }

  return { dataDir, start, signIn, sellWater, syncStatus };
}
