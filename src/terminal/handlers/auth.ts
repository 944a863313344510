/**
 * Users and sessions. Users are a projection (UserSaved entries, or the users
 * a catalog delta carries); sessions live in memory only, so a restart signs
 * everyone out. A failed sign-in says only "wrong user code or PIN", never
 * which of the two was wrong. PINs are kept as credentials under the PIN key
 * (pin-hash.ts); a user whose credential is a one-time PIN or in the older
 * keyless form signs in to a session that may only choose a new PIN.
 */
import { randomBytes } from 'node:crypto';
import type { CatalogUser } from '../../shared/contract/catalog';
import { CONTROL_CHARACTER } from '../../shared/contract/text';
import type { UserView } from '../../shared/contract/auth';
import type { Role } from '../../shared/contract/define';
import { TillError } from '../../shared/errors';
import { cachedStatement, type Ledger } from '../../ledger/index';
import { hashPin, keyringFor, verifyPin } from './pin-hash';
import { USER_SAVED, registerCatalogProjectors } from '../projections/catalog';

export interface Session {
  token: string;
  user: UserView;
  since: number;
  lastSeen: number;
  /** signed in with a one-time or older-form PIN: only auth.changePin, auth.whoami and auth.logout until a new PIN is set */
  mustChangePin: boolean;
}

export interface UserRow {
  code: string;
  name: string;
  role: Role;
  pin_hash: string;
  active: number;
  must_change_pin: number;
}

/** journals a user (the first admin from till init, the simulator's cashier, stores without a hub); mustChangePin for a one-time PIN */
export function saveUser(ledger: Ledger, user: { code: string; name: string; role: Role; pin: string; active?: boolean; mustChangePin?: boolean }): UserView {
  if (CONTROL_CHARACTER.test(user.name)) throw new TillError('control-character', 'a user name may not contain control characters');
  registerCatalogProjectors(ledger);
  const u: CatalogUser = {
    code: user.code,
    name: user.name,
    role: user.role,
    pinHash: hashPin(user.pin, keyringFor(ledger)),
    active: user.active ?? true,
    ...(user.mustChangePin ? { mustChangePin: true } : {}),
  };
  ledger.append(USER_SAVED, u);
  return { code: u.code, name: u.name, role: u.role };
}

/** the stored user with its PIN credential, or null */
export function readUserRow(ledger: Ledger, code: string): UserRow | null {
  return (cachedStatement(ledger.db, 'SELECT code, name, role, pin_hash, active, must_change_pin FROM users WHERE code = ?').get(code) as UserRow | undefined) ?? null;
}

export function findUser(ledger: Ledger, code: string): (UserView & { active: boolean }) | null {
  const r = readUserRow(ledger, code);
  return r ? { code: r.code, name: r.name, role: r.role, active: r.active === 1 } : null;
}

/** lockout after failed PINs and sign-out after inactivity (handlers/users.ts); without a policy neither applies */
export interface LoginPolicy {
  /** throws 'locked-out' while the user code is locked for this source (or the lanes' budget is spent), even before the PIN is checked */
  before(userCode: string, source: string): void;
  /** known: the user code exists (unknown codes are not stored) */
  failed(userCode: string, source: string, known: boolean): void;
  succeeded(userCode: string, source: string): void;
  /** sign a session out after this long without a call; 0 = never */
  idleMs(): number;
}

export class Sessions {
  private readonly byToken = new Map<string, Session>();

  constructor(
    private readonly ledger: Ledger,
    private readonly now: () => number,
    private readonly policy?: LoginPolicy,
  ) {}

  /**
   * checks a user code and PIN from a source ('local' for the cashier window,
   * one per lane device); the same refusal for an unknown user, a disabled one
   * and a wrong PIN. mustChangePin: the PIN was one-time or in the older form.
   */
  async check(userCode: string, pin: string, source = 'local'): Promise<UserView & { mustChangePin: boolean }> {
    this.policy?.before(userCode, source);
    const r = readUserRow(this.ledger, userCode);
    const verdict = r !== null && r.active === 1 ? await verifyPin(pin, r.pin_hash, keyringFor(this.ledger)) : 'wrong';
    if (!r || (verdict !== 'ok' && verdict !== 'legacy')) {
      this.policy?.failed(userCode, source, r !== null);
      throw new TillError('unauthenticated', 'wrong user code or PIN');
    }
    this.policy?.succeeded(userCode, source);
    return { code: r.code, name: r.name, role: r.role, mustChangePin: verdict === 'legacy' || r.must_change_pin === 1 };
  }

  async login(userCode: string, pin: string, source = 'local'): Promise<Session> {
    const { mustChangePin, ...user } = await this.check(userCode, pin, source);
    const t = this.now();
    const s: Session = { token: randomBytes(24).toString('base64url'), user, since: t, lastSeen: t, mustChangePin };
    this.byToken.set(s.token, s);
    return s;
  }

  /** a signed-in user chooses a new PIN (the current one again as proof); journaled as UserSaved under the current PIN key */
  async changePin(s: Session, currentPin: string, newPin: string, source = 'local'): Promise<void> {
    if (currentPin === newPin) throw new TillError('bad-input', 'the new PIN must differ from the current one');
    await this.check(s.user.code, currentPin, source);
    const r = readUserRow(this.ledger, s.user.code);
    if (!r) throw new TillError('not-found', `there is no user ${s.user.code}`);
    saveUser(this.ledger, { code: r.code, name: r.name, role: r.role, pin: newPin, active: r.active === 1 });
    s.mustChangePin = false;
  }

  /** the signed-in user of a token, without touching it (the lane server binds sockets with it) */
  peek(token: string | undefined): Session | null {
    return token === undefined ? null : (this.byToken.get(token) ?? null);
  }

  resolve(token: string | undefined): Session {
    const s = token === undefined ? undefined : this.byToken.get(token);
    if (!s) throw new TillError('unauthenticated', 'not signed in: sign in with your user code and PIN');
    const idle = this.policy?.idleMs() ?? 0;
    if (idle > 0 && this.now() - s.lastSeen > idle) {
      this.byToken.delete(s.token);
      throw new TillError('unauthenticated', `signed out after ${Math.round(idle / 60_000)} minutes without activity: sign in again`);
    }
    s.lastSeen = this.now();
    return s;
  }

  logout(token: string): void {
    this.byToken.delete(token);
  }
}
