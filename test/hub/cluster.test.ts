/**
 * Two hub processes on one PostgreSQL, joined by the socket.io PostgreSQL
 * adapter: a catalog change made through hub A reaches a terminal connected
 * to hub B, and what the terminal pushes through B is visible through A.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogDelta } from '../../src/shared/contract/catalog';
import { enrollTerminal, fileTokenVault } from '../../src/sync/credentials';
import { createTerminalSync } from '../../src/sync/terminal-sync';
import { hubUrlOf } from '../cli/sync-helpers';
import { newLedger, removeLedger, sell } from '../sync/setup';
import { storeKit, tempDir, type StoreKit } from './fixtures';
import { waitFor } from '../support/wait';
import { till } from '../support/till';

const ROOT = path.resolve(__dirname, '../..');
const COLA = { sku: 'COLA', name: '可乐', barcodes: ['6901234567892'], plu: null, category: 'drinks', unit: '瓶', price: 350, memberPrice: null, vatRate: 1300, weighed: false, active: true };

describe('two hub nodes on one PostgreSQL', () => {
  let kit: StoreKit;
  const dirA = tempDir('node-a');
  const dirB = tempDir('node-b');
  const nodes: ChildProcess[] = [];

  beforeAll(async () => {
    kit = storeKit('postgres');
    await (await kit.open()).close();
    for (const dir of [dirA, dirB]) {
      nodes.push(spawn(process.execPath, [path.join(ROOT, 'bin/till.cjs'), 'hub', '--data', dir, '--port', '0', '--database', kit.databaseUrl as string], { cwd: ROOT, stdio: 'ignore' }));
    }
    await waitFor('both hubs', () => hubUrlOf(dirA) && hubUrlOf(dirB), 30_000);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => new Promise((r) => (n.once('exit', r), n.kill('SIGTERM')))));
    await kit.cleanup();
    for (const d of [dirA, dirB]) fs.rmSync(d, { recursive: true, force: true });
  });

  it('a price changed through hub A reaches a terminal connected to hub B', async () => {
    const db = kit.databaseUrl as string;
    const file = path.join(dirA, 'catalog.json');
    fs.writeFileSync(file, JSON.stringify({ products: [COLA] }));
    expect((await till('hub', 'catalog', '--data', dirA, '--database', db, '--file', file)).out).toMatch(/catalog version 1/);
    const ledger = newLedger('S1', 'N1');
    sell(ledger, 100);
    const code = (await till('hub', 'enroll-code', '--data', dirA, '--database', db, '--store', 'S1', '--terminal', 'N1')).out.trim();
    const urlB = hubUrlOf(dirB) as string;
    const r = await enrollTerminal({ hubUrl: urlB, code, store: 'S1', terminal: 'N1' });
    fileTokenVault(ledger.dir).write({ hubUrl: urlB, terminalId: r.terminalId, token: r.token, hubKey: r.hubKey, pinKey: r.pinKey });
    const deltas: CatalogDelta[] = [];
    let version = 0;
    const sync = createTerminalSync(ledger, { appVersion: '1', catalog: { version: () => version, apply: (d) => void (deltas.push(d), (version = d.version)) } });
    sync.replicator.start();
    await sync.replicator.untilIdle(10_000);
    await waitFor('catalog version 1 through hub B', () => version === 1);

    const priced = await till('hub', 'price', '--data', dirA, '--database', db, '--barcode', '6901234567892', '--price', '280');
    expect(priced.out).toMatch(/catalog version 2: 1 change\(s\), sent to connected terminals/);
    await waitFor('the change made through hub A to reach the terminal on hub B', () => version === 2, 10_000);
    expect(deltas.at(-1)).toMatchObject({ fromVersion: 1, version: 2, products: [{ ...COLA, price: 280 }] });

    const status = JSON.parse((await till('hub', 'status', '--data', dirA, '--database', db, '--json')).out) as { store: string; terminals: Array<{ terminalId: string; hwm: { seq: number } }> };
    expect(status.store).toBe('postgres');
    expect(status.terminals.find((t) => t.terminalId === 'S1/N1')?.hwm.seq).toBe(101);
    await sync.replicator.stop();
    removeLedger(ledger);
  });
});
