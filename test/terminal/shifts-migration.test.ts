/**
 * Migrations 0020 (store operations) and 0050 (sign-in security) on a ledger
 * that already has history: it opens, defaults apply, the tables work, and a
 * user journaled with the older keyless credential must choose a new PIN.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, openLedger } from '../../src/ledger/index';
import { createTerminal } from '../../src/terminal/index';
import { DEFAULT_OPERATIONS } from '../../src/core/operations';
import { legacyCredential } from '../support/legacy-pin';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

it('upgrades a ledger created before 0020 and keeps its history', async () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'till-mig-'));
  const older = fs.mkdtempSync(path.join(os.tmpdir(), 'till-mig-sql-'));
  dirs.push(data, older);
  for (const f of fs.readdirSync(DEFAULT_MIGRATIONS_DIR)) if (f.endsWith('.sql') && f < '0020') fs.copyFileSync(path.join(DEFAULT_MIGRATIONS_DIR, f), path.join(older, f));
  const before = openLedger(data, { create: { store: 'S1', terminal: 'T1' }, migrationsDir: older });
  // a user as the code of that time journaled and projected it: a keyless scrypt credential
  const legacy = legacyCredential('1234');
  before.append('UserSaved', { code: '1001', name: 'Ann', role: 'cashier', pinHash: legacy, active: true }, (db) => void db.prepare("INSERT INTO users (code, name, role, pin_hash, active) VALUES ('1001', 'Ann', 'cashier', ?, 1)").run(legacy));
  expect(before.db.prepare("SELECT count(*) FROM sqlite_master WHERE name = 'shifts'").pluck().get()).toBe(0);
  const head = before.head();
  before.close();

  const t = createTerminal({ dataDir: data, log: () => undefined });
  try {
    expect(t.ledger.entries(1, head.seq).at(-1)?.hash).toBe(head.hash);
    const login = await t.dispatch('auth.login', { userCode: '1001', pin: '1234' }, {});
    if (!login.ok) throw new Error(login.error.message);
    const ctx = { sessionToken: (login.value as { sessionToken: string }).sessionToken };
    // the keyless credential of before 0050 signs in only to choose a new PIN
    expect(login.value).toMatchObject({ mustChangePin: true });
    expect(await t.dispatch('settings.operations', {}, ctx)).toMatchObject({ ok: false, error: { code: 'pin-change-required' } });
    expect(await t.dispatch('auth.changePin', { currentPin: '1234', newPin: '2468' }, ctx)).toEqual({ ok: true, value: {} });
    expect(await t.dispatch('settings.operations', {}, ctx)).toEqual({ ok: true, value: DEFAULT_OPERATIONS });
    expect(await t.dispatch('shift.open', { float: [{ value: 10000, count: 1 }] }, ctx)).toMatchObject({ ok: true, value: { float: 10000 } });
  } finally {
    t.close();
  }
});
