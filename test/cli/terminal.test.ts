import { nullLogger } from '../../src/shared/logger';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attachSync, catalogVersion, createTerminal, type Terminal } from '../../src/terminal/index';
import type { TerminalSync } from '../../src/sync/terminal-sync';
import { tempDir } from '../hub/fixtures';
import { hubUrlOf } from './sync-helpers';
import { till, tillServe } from '../support/till';
import { waitFor } from '../support/wait';

const COLA = { sku: 'COLA', name: '可乐', barcodes: ['6901234567892'], plu: null, category: 'drinks', unit: '瓶', price: 350, memberPrice: null, vatRate: 1300, weighed: false, active: true };

describe('a terminal wired to its hub', () => {
  const hubDir = tempDir('e2e-hub');
  const termDir = tempDir('e2e-term');
  let hub: ReturnType<typeof tillServe>;
  let terminal: Terminal;
  let sync: TerminalSync | null;
  let session: string;

  beforeAll(async () => {
    hub = tillServe('hub', '--data', hubDir, '--port', '0');
    const url = await waitFor('the hub', () => hubUrlOf(hubDir));
    const file = path.join(hubDir, 'catalog.json');
    fs.writeFileSync(file, JSON.stringify({ products: [COLA], users: [{ code: '001', name: '王芳', role: 'cashier', pin: '1234', active: true }] }));
    expect((await till('hub', 'catalog', '--data', hubDir, '--file', file)).code).toBe(0);
    expect((await till('init', '--data', termDir, '--store', 'S1', '--terminal', 'T1')).code).toBe(0);
    const code = (await till('hub', 'enroll-code', '--data', hubDir, '--store', 'S1', '--terminal', 'T1')).out.trim();
    expect((await till('enroll', '--data', termDir, '--hub', url, '--code', code)).code).toBe(0);
    terminal = createTerminal({ dataDir: termDir });
    sync = attachSync(terminal, { logger: nullLogger, tuning: { statusIntervalMs: 100, backoff: { baseMs: 20, maxMs: 200 } } });
    const local = catalogVersion(terminal.ledger.db);
    await waitFor('the catalog from the hub', () => sync?.replicator.status().catalogVersion === 1);
    expect(catalogVersion(terminal.ledger.db)).toBe(local + 1);
    const login = await terminal.dispatch('auth.login', { userCode: '001', pin: '1234' }, {});
    expect(login.ok).toBe(true);
    session = (login as { value: { sessionToken: string } }).value.sessionToken;
    expect(await terminal.dispatch('shift.open', { float: [{ value: 10000, count: 2 }] }, { sessionToken: session })).toMatchObject({ ok: true });
  });
  afterAll(async () => {
    await sync?.replicator.stop();
    terminal.close();
    await hub.stop();
    fs.rmSync(hubDir, { recursive: true, force: true });
    fs.rmSync(termDir, { recursive: true, force: true });
  });

  it('a price changed at the hub is the price of the next scan, and the change is journaled', async () => {
    /** one sale of one bottle: the scanned line's price, then cash to complete it */
    const scan = async () => {
      const r = await terminal.dispatch('cart.scan', { code: '6901234567892' }, { sessionToken: session });
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      const v = (r as { value: { cart: { lines: Array<{ unitPrice: number }> } } }).value;
      const paid = await terminal.dispatch('tender.cash', { tendered: 1000 }, { sessionToken: session });
      expect(paid.ok && (paid.value as { completed: unknown }).completed).toBeTruthy();
      return v.cart.lines.at(-1)?.unitPrice;
    };
    expect(await scan()).toBe(350);
    const changed = await till('hub', 'price', '--data', hubDir, '--barcode', '6901234567892', '--price', '299');
    expect(changed.out).toMatch(/catalog version 2: 1 change\(s\), sent to connected terminals/);
    await waitFor('the price change to arrive', () => sync?.replicator.status().catalogVersion === 2, 5000);
    expect(await scan()).toBe(299);
    const types = terminal.ledger.entries(1, 100).map((e) => e.type);
    expect(types.filter((t) => t === 'CatalogApplied').length).toBeGreaterThanOrEqual(2);
  });

  it('reports sync status as the terminal event, and the hub sees the same journal', async () => {
    const events: Array<{ state: string; queueDepth: number }> = [];
    terminal.events.on('sync.status', (e) => events.push(e));
    expect((await terminal.dispatch('cart.scan', { code: '6901234567892' }, { sessionToken: session })).ok).toBe(true);
    expect((await terminal.dispatch('tender.cash', { tendered: 500 }, { sessionToken: session })).ok).toBe(true);
    await sync?.replicator.untilIdle(10_000);
    await waitFor('a sync.status event', () => events.length > 0, 5000);
    expect(events.at(-1)).toMatchObject({ state: 'online' });
    expect(terminal.isOnline()).toBe(true);
    const st = JSON.parse((await till('hub', 'status', '--data', hubDir, '--json')).out) as { terminals: Array<{ terminalId: string; hwm: { seq: number; hash: string } }> };
    expect(st.terminals[0]?.hwm).toEqual(terminal.ledger.head());
    expect(sync?.replicator.status()).toMatchObject({ connected: true, queueDepth: 0 });
  });
});
