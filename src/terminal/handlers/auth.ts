/**
 * Users and sessions. Users are a projection (UserSaved entries, or the users
 * a catalog delta carries); sessions live in memory only, so a restart signs
 * everyone out. A failed sign-in says only "wrong user code or PIN", never
 * which of the two was wrong.
 */
import { randomBytes } from 'node:crypto';
import type { CatalogUser } from '../../shared/contract/catalog';
import type { UserView } from '../../shared/contract/auth';
import type { Role } from '../../shared/contract/define';
import { TillError } from '../../shared/errors';
import { cachedStatement, type Ledger } from '../../ledger/index';
import { hashPin, verifyPin } from './pin-hash';
import { USER_SAVED, registerCatalogProjectors } from '../projections/catalog';

export interface Session {
  token: string;
  user: UserView;
  since: number;
  lastSeen: number;
}

export interface UserRow {
  code: string;
  name: string;
  role: Role;
  pin_hash: string;
  active: number;
}

/** journals a user (the first admin from till init, the simulator's cashier, stores without a hub) */
export function saveUser(ledger: Ledger, user: { code: string; name: string; role: Role; pin: string; active?: boolean }): UserView {
  registerCatalogProjectors(ledger);
  const u: CatalogUser = { code: user.code, name: user.name, role: user.role, pinHash: hashPin(user.pin), active: user.active ?? true };
  ledger.append(USER_SAVED, u);
  return { code: u.code, name: u.name, role: u.role };
}

/** the stored user with its PIN hash, or null */
export function readUserRow(ledger: Ledger, code: string): UserRow | null {
  return (cachedStatement(ledger.db, 'SELECT code, name, role, pin_hash, active FROM users WHERE code = ?').get(code) as UserRow | undefined) ?? null;
}

export function findUser(ledger: Ledger, code: string): (UserView & { active: boolean }) | null {
  const r = readUserRow(ledger, code);
  return r ? { code: r.code, name: r.name, role: r.role, active: r.active === 1 } : null;
}

/** lockout after failed PINs and sign-out after inactivity (handlers/users.ts); without a policy neither applies */
export interface LoginPolicy {
  /** throws 'locked-out' while the user code is locked, even before the PIN is checked */
  before(userCode: string): void;
  failed(userCode: string): void;
  succeeded(userCode: string): void;
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

  /** checks a user code and PIN; the same refusal for an unknown user, a disabled one and a wrong PIN */
  async check(userCode: string, pin: string): Promise<UserView> {
    this.policy?.before(userCode);
    const r = readUserRow(this.ledger, userCode);
    const ok = r !== null && r.active === 1 && (await verifyPin(pin, r.pin_hash));
    if (!ok || !r) {
      this.policy?.failed(userCode);
      throw new TillError('unauthenticated', 'wrong user code or PIN');
    }
    this.policy?.succeeded(userCode);
    return { code: r.code, name: r.name, role: r.role };
  }

  async login(userCode: string, pin: string): Promise<Session> {
    const user = await this.check(userCode, pin);
    const t = this.now();
    const s: Session = { token: randomBytes(24).toString('base64url'), user, since: t, lastSeen: t };
    this.byToken.set(s.token, s);
    return s;
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
