import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupLedger, openLedger, restoreLedger, verifyLedger, verifyLedgerFile } from '../../src/ledger/index';
import { TillError } from '../../src/shared/errors';
import { killHard, startFixture, tempDirs, waitForLine } from '../fixtures/ledger/helpers';

const tmp = tempDirs('backup');

function ledgerWith(entries: number, identity = { store: 'S1', terminal: 'T1' }): string {
  const dir = path.join(tmp(), 'data');
  const ledger = openLedger(dir, { create: identity });
  for (let i = 0; i < entries; i++) ledger.append('Sale', { total: i });
  ledger.close();
  return dir;
}

async function refusal(p: Promise<unknown>): Promise<TillError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TillError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('backupLedger', () => {
  it('writes one verified self-contained file named with identity and time, keeping the newest N of this terminal', async () => {
    const dir = ledgerWith(5);
    const to = tmp();
    fs.writeFileSync(path.join(to, 'till-S9-T9-20200101T000000000Z.db'), 'another terminal');
    let t = Date.parse('2026-03-01T08:00:00.000Z');
    const clock = () => new Date((t += 60_000));
    const results = [];
    for (let i = 0; i < 4; i++) results.push(await backupLedger(dir, to, { keep: 2, clock }));
    expect(results[0]?.file).toBe(path.join(to, 'till-S1-T1-20260301T080100000Z.db'));
    expect(results[0]).toMatchObject({ entries: 6, identity: { store: 'S1', terminal: 'T1' }, removed: [] });
    expect(results[2]?.removed).toEqual([results[0]?.file]);
    expect(fs.readdirSync(to).sort()).toEqual(['till-S1-T1-20260301T080300000Z.db', 'till-S1-T1-20260301T080400000Z.db', 'till-S9-T9-20200101T000000000Z.db']);
    const check = await verifyLedgerFile(results[3]?.file as string);
    expect(check).toMatchObject({ ok: true, entries: 6, lastHash: results[3]?.lastHash });
    expect(fs.readdirSync(to).filter((f) => /-(wal|shm)$|partial$/.test(f))).toEqual([]);
  });

  it('copies a consistent snapshot while another process keeps appending', async () => {
    const dir = ledgerWith(0);
    const child = startFixture('appender', [dir, '1000000']);
    try {
      await waitForLine(child, 'ready');
      await waitForLine(child, '200');
      const to = tmp();
      let last = 0;
      for (let i = 0; i < 3; i++) {
        const r = await backupLedger(dir, to);
        expect(await verifyLedgerFile(r.file)).toMatchObject({ ok: true, entries: r.entries, lastHash: r.lastHash });
        expect(r.entries).toBeGreaterThan(last);
        last = r.entries;
      }
      expect(child.exitCode).toBeNull();
    } finally {
      await killHard(child);
    }
  });

  it('refuses a missing ledger and a bad --keep', async () => {
    expect((await refusal(backupLedger(path.join(tmp(), 'none'), tmp()))).code).toBe('ledger-not-found');
    expect((await refusal(backupLedger(ledgerWith(0), tmp(), { keep: 0 }))).code).toBe('bad-input');
  });
});

describe('restoreLedger', () => {
  it('restores into an empty place, and the terminal carries on from there', async () => {
    const backup = (await backupLedger(ledgerWith(3), tmp())).file;
    const dir = path.join(tmp(), 'new-hardware');
    const r = await restoreLedger(backup, dir);
    expect(r).toMatchObject({ entries: 4, identity: { store: 'S1', terminal: 'T1' }, replaced: null });
    const ledger = openLedger(dir);
    expect(ledger.append('Sale', { total: 9 }).seq).toBe(5);
    ledger.close();
    expect(await verifyLedger(dir)).toMatchObject({ ok: true, entries: 5 });
  });

  it('never overwrites a live terminal, even with force', async () => {
    const dir = ledgerWith(2);
    const backup = (await backupLedger(dir, tmp())).file;
    const child = startFixture('holder', [dir]);
    try {
      await waitForLine(child, 'ready');
      for (const force of [false, true]) {
        const e = await refusal(restoreLedger(backup, dir, { force }));
        expect(e.code).toBe('ledger-busy');
        expect(e.message).toContain(`this terminal is already running (pid ${child.pid})`);
      }
    } finally {
      await killHard(child);
    }
    expect(await verifyLedger(dir)).toMatchObject({ ok: true, entries: 3 });
  });

  it('refuses a newer ledger unless forced, and keeps the replaced one', async () => {
    const dir = ledgerWith(2);
    const backup = (await backupLedger(dir, tmp())).file;
    const ledger = openLedger(dir);
    ledger.append('Sale', { total: 100 });
    ledger.append('Sale', { total: 101 });
    ledger.close();
    const e = await refusal(restoreLedger(backup, dir));
    expect(e.code).toBe('conflict');
    expect(e.message).toMatch(/is newer than the backup \(seq 5 > 3\); restoring would lose 2 entries; pass --force/);
    expect(await verifyLedger(dir)).toMatchObject({ ok: true, entries: 5 });
    const r = await restoreLedger(backup, dir, { force: true });
    expect(r.entries).toBe(3);
    expect(await verifyLedger(dir)).toMatchObject({ ok: true, entries: 3 });
    expect(await verifyLedgerFile(r.replaced as string)).toMatchObject({ ok: true, entries: 5 });
  });

  it("refuses another terminal's ledger unless forced", async () => {
    const dir = ledgerWith(0, { store: 'S1', terminal: 'T2' });
    const backup = (await backupLedger(ledgerWith(0), tmp())).file;
    expect((await refusal(restoreLedger(backup, dir))).message).toMatch(/belongs to store S1 terminal T2, the backup to store S1 terminal T1/);
    expect((await restoreLedger(backup, dir, { force: true })).identity).toEqual({ store: 'S1', terminal: 'T1' });
  });

  it('refuses a damaged backup even with force, and an unreadable ledger unless forced', async () => {
    const dir = ledgerWith(2);
    const good = (await backupLedger(dir, tmp())).file;
    const bad = path.join(tmp(), 'bad.db');
    fs.copyFileSync(good, bad);
    const buf = fs.readFileSync(bad);
    fs.writeFileSync(bad, buf.subarray(0, 4096));
    for (const force of [false, true]) expect((await refusal(restoreLedger(bad, dir, { force }))).code).toBe('ledger-corrupt');
    expect((await refusal(restoreLedger(path.join(tmp(), 'none.db'), dir))).code).toBe('ledger-not-found');
    fs.writeFileSync(path.join(dir, 'ledger.db'), 'garbage'.repeat(1000));
    expect((await refusal(restoreLedger(good, dir))).message).toMatch(/cannot be read .*pass --force/);
    await restoreLedger(good, dir, { force: true });
    expect(await verifyLedger(dir)).toMatchObject({ ok: true, entries: 3 });
  });

  it("copies a source that still has a write-ahead log whole", async () => {
    const src = ledgerWith(0);
    const writer = openLedger(src);
    for (let i = 0; i < 50; i++) writer.append('Sale', { total: i });
    expect(fs.existsSync(path.join(src, 'ledger.db-wal'))).toBe(true);
    const dir = path.join(tmp(), 'data');
    const r = await restoreLedger(path.join(src, 'ledger.db'), dir);
    writer.close();
    expect(r.entries).toBe(51);
    expect(await verifyLedger(dir)).toMatchObject({ ok: true, entries: 51 });
  });
});
