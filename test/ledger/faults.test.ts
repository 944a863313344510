/**
 * Storage faults: a full disk (SQLITE_FULL through a size limit, and a real
 * ENOSPC on a small tmpfs mounted in a private mount namespace), a read-only
 * data directory (a read-only bind mount, and an unprivileged user), and
 * damaged files. Each refusal is a TillError with one clear line; the ledger
 * stays intact and, once space is back, appends work again.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openLedger, verifyLedger } from '../../src/ledger/index';
import { ROOT, ledgerOnlyMigrations, tempDirs } from '../fixtures/ledger/helpers';
import { fixture, inMountNamespace, isRoot } from '../support/mount-namespace';
import { tillError } from '../support/errors';

const tmp = tempDirs('faults');
const migrationsDir = ledgerOnlyMigrations(tmp);

describe('a full disk', () => {
  it('SQLITE_FULL (size limit): the append is refused with ledger-io, nothing half-written, and works again when space is back', async () => {
    const ledger = openLedger(path.join(tmp(), 'data'), { create: { store: 'S1', terminal: 'T1' }, migrationsDir });
    for (let i = 0; i < 10; i++) ledger.append('Sale', { total: i });
    const pages = ledger.db.pragma('page_count', { simple: true }) as number;
    ledger.db.pragma(`max_page_count = ${pages}`);
    const big = { note: 'x'.repeat(20_000) };
    const e = tillError(() => ledger.append('Sale', big));
    expect(e.code).toBe('ledger-io');
    expect(e.message).toMatch(/^the disk holding .* is full: nothing was recorded; free some space and try again$/);
    expect(tillError(() => ledger.append('Sale', big)).code).toBe('ledger-io');
    expect(ledger.head().seq).toBe(11);
    expect(await verifyLedger(ledger.dir)).toMatchObject({ ok: true, entries: 11 });
    ledger.db.pragma(`max_page_count = ${pages * 100}`);
    expect(ledger.append('Sale', big).seq).toBe(12);
    ledger.close();
    expect(await verifyLedger(ledger.dir)).toMatchObject({ ok: true, entries: 12 });
  });

  it('ENOSPC on a real 1 MiB tmpfs: refused with ledger-io, intact, and appends resume once the filler is removed', async () => {
    const mnt = tmp();
    const r = inMountNamespace(`mount -t tmpfs -o size=1m tmpfs "$0" && exec ${fixture('disk-full')}`, mnt);
    expect(r.filled as number).toBeGreaterThan(0);
    expect(r.refusal).toEqual({ code: 'ledger-io', message: `the disk holding ${path.join(mnt, 'data')} is full: nothing was recorded; free some space and try again` });
    expect(r.second).toBe('ledger-io');
    expect(r.headWhileFull).toBe(r.lastGood);
    expect(r.verifyWhileFull).toMatchObject({ ok: true, entries: r.lastGood });
    expect(r.afterSpace).toBe((r.lastGood as number) + 1);
    expect(r.verifyAfter).toMatchObject({ ok: true, entries: (r.lastGood as number) + 1 });
  });
});

describe('a read-only data directory', () => {
  it('a read-only mount: the writer is refused with ledger-io and the ledger stays intact', async () => {
    const dir = path.join(tmp(), 'data');
    const ledger = openLedger(dir, { create: { store: 'S1', terminal: 'T1' } });
    ledger.append('Sale', { total: 1 });
    ledger.close();
    const r = inMountNamespace(`mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec ${fixture('readonly-dir')}`, dir);
    expect(r.writer).toEqual({ code: 'ledger-io', message: `${dir} is read-only or not writable by this user: the terminal could not take the writer lock; make the data directory writable and try again` });
    expect(r.verify).toMatchObject({ code: 'ledger-io' });
    expect(await verifyLedger(dir)).toMatchObject({ ok: true, entries: 2 });
  });

  it('a directory this user may not write: refused with ledger-io, intact', async () => {
    const base = tmp();
    const dir = path.join(base, 'data');
    const ledger = openLedger(dir, { create: { store: 'S1', terminal: 'T1' } });
    ledger.append('Sale', { total: 1 });
    ledger.close();
    fs.chmodSync(dir, 0o555);
    // root ignores permission bits, so as root the child runs without the capabilities that override
    // them (it stays the same user, so it reads the checkout wherever that lives, as this process does)
    const cmd = isRoot ? ['setpriv', '--bounding-set=-dac_override,-dac_read_search', process.execPath] : [process.execPath];
    const run = spawnSync(cmd[0] as string, [...cmd.slice(1), '--import', 'tsx', path.join(ROOT, 'test/fixtures/ledger/readonly-dir.ts'), dir], { cwd: ROOT, encoding: 'utf8', timeout: 30_000 });
    fs.chmodSync(dir, 0o755);
    expect(run.status, run.stderr).toBe(0);
    const r = JSON.parse(run.stdout) as { writer: unknown; verify: unknown };
    expect(r.writer).toEqual({ code: 'ledger-io', message: `${dir} is read-only or not writable by this user: the terminal could not take the writer lock; make the data directory writable and try again` });
    expect(await verifyLedger(dir)).toMatchObject({ ok: true, entries: 2 });
  });
});

describe('damaged files', () => {
  function closedLedger(entries: number): string {
    const dir = path.join(tmp(), 'data');
    const ledger = openLedger(dir, { create: { store: 'S1', terminal: 'T1' }, migrationsDir });
    for (let i = 0; i < entries; i++) ledger.append('Sale', { total: i, note: 'n'.repeat(300) });
    ledger.close();
    return dir;
  }

  it('a file that is not a database', async () => {
    const dir = closedLedger(1);
    fs.writeFileSync(path.join(dir, 'ledger.db'), 'PK\u0003\u0004 a zip file, not a ledger'.repeat(100));
    const e = tillError(() => openLedger(dir, { migrationsDir }));
    expect(e.code).toBe('ledger-corrupt');
    expect(e.message).toMatch(/ledger\.db is damaged \(file is not a database\): the ledger could not be opened; run 'till verify' and restore the newest good backup/);
  });

  it('an empty (truncated to zero) file', async () => {
    const dir = closedLedger(1);
    fs.writeFileSync(path.join(dir, 'ledger.db'), '');
    expect(tillError(() => openLedger(dir, { migrationsDir })).message).toMatch(/ledger\.db is empty \(truncated\); restore the newest good backup/);
  });

  it('a file truncated in the middle', async () => {
    const dir = closedLedger(400);
    const file = path.join(dir, 'ledger.db');
    fs.truncateSync(file, Math.floor(fs.statSync(file).size / 2));
    const e = tillError(() => openLedger(dir, { migrationsDir }));
    expect(e.code).toBe('ledger-corrupt');
    expect(e.message).toMatch(/is damaged \(database disk image is malformed\)/);
  });

  it('a SQLite database that is not a Till ledger', async () => {
    const dir = tmp();
    const db = new Database(path.join(dir, 'ledger.db'));
    db.exec('CREATE TABLE customers (id INTEGER PRIMARY KEY)');
    db.close();
    const e = tillError(() => openLedger(dir, { migrationsDir }));
    expect(e.code).toBe('ledger-corrupt');
    expect(e.message).toMatch(/is not a Till ledger \(no journal table\)/);
    expect(fs.existsSync(path.join(dir, 'ledger.lock'))).toBe(false);
  });
});
