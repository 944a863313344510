/**
 * Sign-in security (issue 9): lockouts per source with a budget shared by the
 * lanes (five wrong PINs from one lane never lock the admin out of another
 * lane or of the till itself; unknown codes store nothing), PIN credentials
 * that a copied ledger or hub database cannot check without the PIN key, and
 * till init's one-time PIN that must be changed at the first sign-in.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { verifyPinWith } from '../../src/core/pin-credential';
import { newHubSecrets, nodePinCrypto } from '../../src/hub/secrets';
import { checkCatalogChanges } from '../../src/hub/catalog';
import { createTerminal, dataDirKeyring, PIN_KEY_FILE } from '../../src/terminal/index';
import { BURST, BURST_WINDOW_MS, GLOBAL_FACTOR } from '../../src/terminal/handlers/users';
import { tempDirs } from '../fixtures/ledger/helpers';
import { till } from '../support/till';
import { openFixture, USERS, type Fixture } from './fixture';

const tmp = tempDirs('sign-in');
let f: (Fixture & { setNow(d: Date): void }) | undefined;
afterEach(() => {
  f?.close();
  f = undefined;
});
const T0 = new Date('2026-06-01T04:00:00.000Z');

describe('lockout per source', () => {
  it('five wrong PINs from one lane do not lock the admin out of another lane or of the till', async () => {
    f = (await openFixture({ now: T0 })) as Fixture & { setNow(d: Date): void };
    const t = f.t;
    let ms = T0.getTime();
    const tick = () => f?.setNow(new Date((ms += BURST_WINDOW_MS / BURST + 1)));
    const login = (pin: string, source: string) => t.dispatch('auth.login', { userCode: USERS.admin.code, pin }, {}, source);
    for (let i = 0; i < 5; i++) {
      tick();
      expect(await login('0000', 'lane:10.0.0.66')).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    }
    tick();
    expect(await login(USERS.admin.pin, 'lane:10.0.0.66')).toMatchObject({ ok: false, error: { code: 'locked-out' } });
    expect(await login(USERS.admin.pin, 'lane:10.0.0.7')).toMatchObject({ ok: true });
    expect(await login(USERS.admin.pin, 'local')).toMatchObject({ ok: true });
  });

  it('bounds the guessing rate of a lane, and the lanes together share a budget the till itself does not', async () => {
    f = (await openFixture({ now: T0 })) as Fixture & { setNow(d: Date): void };
    const t = f.t;
    let ms = T0.getTime();
    const login = (code: string, pin: string, source: string) => t.dispatch('auth.login', { userCode: code, pin }, {}, source);
    for (let i = 0; i < BURST; i++) expect(await login(USERS.cashier.code, `000${i}`, 'lane:a')).toMatchObject({ error: { code: 'unauthenticated' } });
    expect(await login(USERS.cashier.code, USERS.cashier.pin, 'lane:a')).toMatchObject({ error: { code: 'locked-out', message: expect.stringMatching(/wait a moment/) } });
    f.setNow(new Date((ms += BURST_WINDOW_MS + 1)));
    expect(await login(USERS.cashier.code, USERS.cashier.pin, 'lane:a')).toMatchObject({ ok: true });
    // a spray over many sources and codes: 4 x maxFailures wrong PINs, then every lane waits
    for (let i = 0; i < GLOBAL_FACTOR * 5; i++) {
      f.setNow(new Date((ms += 100)));
      await login(USERS.cashier.code, '0000', `lane:spray-${i}`);
    }
    expect(await login(USERS.supervisor.code, USERS.supervisor.pin, 'lane:fresh')).toMatchObject({ ok: false, error: { code: 'locked-out', message: expect.stringMatching(/lanes/) } });
    expect(await login(USERS.supervisor.code, USERS.supervisor.pin, 'local')).toMatchObject({ ok: true });
  });

  it('unknown user codes cost nothing to store', async () => {
    f = (await openFixture({ now: T0 })) as Fixture & { setNow(d: Date): void };
    for (let i = 0; i < 50; i++) await f.t.dispatch('auth.login', { userCode: String(50_000 + i), pin: '0000' }, {});
    expect(f.t.ledger.db.prepare('SELECT count(*) FROM login_attempts').pluck().get()).toBe(0);
  });
});

describe('PIN credentials', () => {
  it('a copied ledger gives no way to check a PIN offline: every credential needs the PIN key, which is not in it', async () => {
    f = (await openFixture({ now: T0 })) as Fixture & { setNow(d: Date): void };
    f.t.ledger.db.pragma('wal_checkpoint(TRUNCATE)');
    const copy = path.join(tmp(), 'ledger.db');
    fs.copyFileSync(path.join(f.dir, 'ledger.db'), copy);
    const db = new Database(copy, { readonly: true });
    const stored = [
      ...(db.prepare('SELECT pin_hash FROM users').pluck().all() as string[]),
      ...(db.prepare("SELECT payload FROM journal WHERE type = 'UserSaved'").pluck().all() as string[]).map((p) => (JSON.parse(p) as { pinHash: string }).pinHash),
    ];
    db.close();
    expect(stored).toHaveLength(8);
    const cashier = stored[0] as string;
    // the right PIN itself cannot be confirmed without the key
    for (const h of stored) expect(await verifyPinWith(nodePinCrypto, () => null, USERS.cashier.pin, h)).toBe('no-key');
    // with the key file of the data directory (0600, never in the ledger) it can
    const keyring = dataDirKeyring(f.dir);
    expect(fs.statSync(path.join(f.dir, PIN_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(await verifyPinWith(nodePinCrypto, (id) => keyring.find(id), USERS.cashier.pin, cashier)).toBe('ok');
  });

  it("the hub's copy of a user holds a credential under the chain's PIN key, never the PIN", () => {
    const secrets = newHubSecrets();
    const [change] = checkCatalogChanges([{ kind: 'user', key: '5001', data: { code: '5001', name: '钱七', role: 'cashier', pin: '5678', active: true } }], secrets.pinKey);
    const data = change?.data as { pinHash: string; pin?: string };
    expect(data.pin).toBeUndefined();
    expect(data.pinHash).toMatch(/^pin1\$/);
    return Promise.all([
      expect(verifyPinWith(nodePinCrypto, () => null, '5678', data.pinHash)).resolves.toBe('no-key'),
      expect(verifyPinWith(nodePinCrypto, (id) => (id === secrets.pinKey.id ? secrets.pinKey : null), '5678', data.pinHash)).resolves.toBe('ok'),
    ]);
  });

  it('till init creates no known PIN: a one-time PIN is printed once and must be changed at the first sign-in', async () => {
    const dir = path.join(tmp(), 'data');
    const r = await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample');
    const pin = /one-time PIN (\d{6})/.exec(r.out)?.[1] as string;
    expect(pin).toMatch(/^\d{6}$/);
    const t = createTerminal({ dataDir: dir, log: () => undefined });
    try {
      expect(await t.dispatch('auth.login', { userCode: '9000', pin: '9000' }, {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      const first = await t.dispatch('auth.login', { userCode: '9000', pin }, {});
      expect(first).toMatchObject({ ok: true, value: { mustChangePin: true } });
      const ctx = { sessionToken: (first as { value: { sessionToken: string } }).value.sessionToken };
      expect(await t.dispatch('users.list', {}, ctx)).toMatchObject({ ok: false, error: { code: 'pin-change-required' } });
      expect(await t.dispatch('auth.changePin', { currentPin: pin, newPin: pin }, ctx)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
      expect(await t.dispatch('auth.changePin', { currentPin: pin, newPin: '802413' }, ctx)).toEqual({ ok: true, value: {} });
      expect(await t.dispatch('users.list', {}, ctx)).toMatchObject({ ok: true });
      expect(await t.dispatch('auth.login', { userCode: '9000', pin }, {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
      expect(await t.dispatch('auth.login', { userCode: '9000', pin: '802413' }, {})).toMatchObject({ ok: true, value: { mustChangePin: false } });
    } finally {
      t.close();
    }
    expect(fs.readFileSync(path.join(dir, 'ledger.db')).toString('latin1')).not.toContain(pin);
  });
});
