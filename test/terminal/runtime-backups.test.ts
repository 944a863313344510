/**
 * Backups on a schedule in the running terminal: while a cashier sells, the
 * scheduler backs the ledger up (business hours, every N minutes of the
 * terminal's clock), each backup verifies and restores, only the newest N
 * stay, a second folder that is not there stops nothing and is used once it
 * is, the hub hears the backups' health with the last errors; a Z report
 * asks for a backup at once, nights do not; the restore drill restores into
 * a temporary folder and leaves the live ledger alone.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillRestore, listBackups, openLedger, verifyLedgerFile } from '../../src/ledger/index';
import { lineLogger } from '../../src/shared/logger';
import { BACKUP_DIR, BackupScheduler, inBusinessHours } from '../../src/terminal/runtime/backup-schedule';
import { backupPolicySchema } from '../../src/terminal/runtime/terminal-config';
import { till } from '../support/till';
import { startSqliteHub, type SqliteHub } from '../sync/setup';
import { cleanupsAfterEach, until } from '../support/wait';
import { runtimeKit } from './runtime-kit';

const cleanups = cleanupsAfterEach();
const { dataDir, start, signIn, sellWater } = runtimeKit(cleanups);

function tmpDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'till-bk-'));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

/** a clock the test moves: 12:00 in Shanghai (UTC+8) on a June day to start with */
function movableClock(iso = '2026-06-01T04:00:00.000Z') {
  let now = new Date(iso).getTime();
  return { clock: () => new Date(now), advance: (minutes: number) => void (now += minutes * 60_000) };
}

const sha = (f: string) => createHash('sha256').update(fs.readFileSync(f)).digest('hex');

describe('backups in the running terminal', () => {
  let hub: SqliteHub;
  beforeAll(async () => {
    hub = await startSqliteHub();
  });
  afterAll(async () => {
    await hub.close();
  });

  it('backs up while sales run: every backup verifies and restores, the newest 3 stay, the absent second folder stops nothing, and the hub hears of it', async () => {
    const t = movableClock();
    const dir = await dataDir(hub, t.clock);
    const usb = path.join(tmpDir(), 'usb-stick');
    fs.writeFileSync(path.join(dir, 'terminal.json'), JSON.stringify({ backup: { everyMinutes: 10, keep: 3, secondPath: usb } }));
    const log: string[] = [];
    const rt = await start(dir, log, { clock: t.clock, backups: { checkEveryMs: 15 } });
    const session = await signIn(rt);

    const taken: string[] = [];
    rt.backups?.on('backup', (r) => taken.push(path.basename(r.primary.file)));
    for (let i = 0; i < 24; i++) {
      await sellWater(rt, session);
      // 4 minutes a sale: the cashier stays signed in (5 minutes idle sign her out), a backup is due every third sale
      t.advance(4);
      // let the scheduler's timer look between sales
      await new Promise((r) => setTimeout(r, 20));
      if (i === 15) fs.mkdirSync(usb);
    }
    await until(() => listBackups(usb).length > 0, 30_000, 'a backup on the second folder');
    await rt.backups?.stop();

    expect(taken.length).toBeGreaterThanOrEqual(5);
    const kept = listBackups(path.join(dir, BACKUP_DIR));
    expect(kept.map((b) => b.name)).toEqual(taken.slice(-3).reverse());
    for (const b of kept) {
      const v = await verifyLedgerFile(b.file);
      expect(v.ok).toBe(true);
      expect(v.entries).toBeGreaterThan(10);
    }
    const drill = await drillRestore(kept[0]?.file as string, { liveDir: dir });
    expect(drill.live).toMatchObject({ sameTerminal: true });
    expect(drill.entries).toBeLessThanOrEqual(rt.terminal.ledger.head().seq);

    // the second folder was missing for the first backups: a warning, once; then it was used
    expect(log.filter((l) => l.includes('is not there')).length).toBe(1);
    expect(log.some((l) => l.includes('is back'))).toBe(true);
    expect(rt.backups?.health()).toMatchObject({ ok: true, secondary: 'ok' });
    expect((await verifyLedgerFile(listBackups(usb)[0]?.file as string)).ok).toBe(true);

    // the status report carries the backups' health and the warning about the stick
    const id = `${rt.terminal.ledger.identity.store}/${rt.terminal.ledger.identity.terminal}`;
    const newest = kept[0]?.at.toISOString();
    await until(async () => (await hub.store.terminal(id))?.status?.backup?.at === newest, 30_000, 'a status report with the newest backup');
    const status = (await hub.store.terminal(id))?.status;
    expect(status?.backup).toMatchObject({ at: newest, ok: true, secondary: 'ok' });
    expect(status?.errors?.some((e) => e.level === 'warn' && e.msg.includes('is not there'))).toBe(true);
  });

  it('a Z report asks for a backup at once; outside business hours there is none; a restart does not repeat one the files already hold', async () => {
    const dir = tmpDir();
    const ledger = openLedger(dir, { create: { store: 'S9', terminal: 'T1' } });
    cleanups.push(() => ledger.close());
    ledger.append('TestSale', { total: 1 });
    let z = 0;
    const t = movableClock('2026-06-01T16:00:00.000Z'); // 00:00 in Shanghai
    const make = () =>
      new BackupScheduler({
        dataDir: dir,
        identity: ledger.identity,
        policy: backupPolicySchema.parse({ everyMinutes: 60, hours: { from: 7, to: 23 } }),
        logger: lineLogger(() => undefined),
        utcOffsetMinutes: () => 480,
        lastZSeq: () => z,
        clock: t.clock,
      });
    const s = make();
    expect(s.due()).toBeNull();
    expect(await s.tick()).toBeNull();
    z = ledger.append('DayClosed-test', {}).seq;
    expect(s.due()).toBe('z-report');
    expect((await s.tick())?.reason).toBe('z-report');
    expect(s.due()).toBeNull();
    t.advance(6 * 60); // 06:00: the shop is closed
    expect(s.due()).toBeNull();
    t.advance(2 * 60); // 08:00
    expect((await s.tick())?.reason).toBe('schedule');
    t.advance(59);
    expect(s.due()).toBeNull();
    t.advance(1);
    expect(s.due()).toBe('schedule');
    expect((await s.tick())?.primary.entries).toBe(3);
    const again = make();
    expect(again.due()).toBeNull();
    expect(again.health()).toMatchObject({ at: t.clock().toISOString(), secondary: 'off' });
  });

  it('business hours are the store time of the settings offset', () => {
    const hours = { from: 7, to: 23 };
    expect(inBusinessHours(new Date('2026-06-01T22:59:00Z'), hours, 480)).toBe(false); // 06:59 in Shanghai
    expect(inBusinessHours(new Date('2026-06-01T23:00:00Z'), hours, 480)).toBe(true); // 07:00
    expect(inBusinessHours(new Date('2026-06-01T14:59:00Z'), hours, 480)).toBe(true); // 22:59
    expect(inBusinessHours(new Date('2026-06-01T15:00:00Z'), hours, 480)).toBe(false); // 23:00
    expect(inBusinessHours(new Date('2026-06-01T07:00:00Z'), hours, 0)).toBe(true);
    expect(inBusinessHours(new Date('2026-06-01T12:00:00Z'), { from: 0, to: 24 }, -300)).toBe(true);
  });
});

describe('till restore --check (restore drill)', () => {
  it('restores a backup into a temporary folder and verifies it; the live ledger is not touched', async () => {
    const dir = path.join(tmpDir(), 'data');
    const to = tmpDir();
    expect((await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample')).code).toBe(0);
    expect((await till('backup', '--data', dir, '--to', to)).code).toBe(0);
    const ledger = openLedger(dir);
    const backedUp = ledger.head().seq;
    ledger.append('TestSale', { total: 5 });
    ledger.close();
    const file = listBackups(to)[0]?.file as string;
    // reading the live ledger's head may leave SQLite's empty -shm/-wal beside it (as any reader does); nothing else may change
    const files = () => fs.readdirSync(dir).filter((n) => !/-(shm|wal)$/.test(n)).sort();
    const before = { hash: sha(path.join(dir, 'ledger.db')), mtime: fs.statSync(path.join(dir, 'ledger.db')).mtimeMs, names: files() };
    const r = await till('restore', '--from', file, '--check', '--data', dir);
    expect(r).toMatchObject({ code: 0, err: '' });
    expect(r.out).toMatch(new RegExp(`^restore drill passed: .* restores to a temporary folder, opens and verifies: ${backedUp} entries of store S1 terminal T1`));
    expect(r.out).toContain('restoring this backup would lose 1 entries');
    expect(r.out).toMatch(/nothing was replaced\n$/);
    const after = { hash: sha(path.join(dir, 'ledger.db')), mtime: fs.statSync(path.join(dir, 'ledger.db')).mtimeMs, names: files() };
    expect(after).toEqual(before);
    const wal = path.join(dir, 'ledger.db-wal');
    if (fs.existsSync(wal)) expect(fs.statSync(wal).size).toBe(0);
    expect(fs.readdirSync(os.tmpdir()).filter((n) => n.startsWith('till-restore-drill-') && fs.existsSync(path.join(os.tmpdir(), n, 'ledger.db')))).toEqual([]);

    const json = JSON.parse((await till('restore', '--from', file, '--check', '--json')).out) as { ok: boolean; entries: number; live: unknown };
    expect(json).toMatchObject({ ok: true, entries: backedUp, live: null });
  });

  it('a damaged backup fails the drill with the reason; --check with --force is bad usage', async () => {
    const dir = path.join(tmpDir(), 'data');
    const to = tmpDir();
    await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample');
    await till('backup', '--data', dir, '--to', to);
    const file = listBackups(to)[0]?.file as string;
    expect((await till('restore', '--from', file, '--check', '--force')).code).toBe(2);
    const bytes = fs.readFileSync(file);
    bytes.write('not a database header', 0);
    fs.writeFileSync(file, bytes);
    const r = await till('restore', '--from', file, '--check');
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^till restore: the backup .* is damaged/);
  });
});
