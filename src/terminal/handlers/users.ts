/**
 * Users on the terminal: the PIN lockout (login_attempts, kept across
 * restarts), sign-out after inactivity, switching the cashier mid-shift, user
 * management, and the store-operations settings. The lockout state is
 * operational, not history: it is written directly, never journaled, so a
 * refused sign-in leaves the journal as it was.
 */
import type { OperationsSettings } from '../../shared/contract/operations';
import { operationsSettingsSchema } from '../../shared/contract/operations';
import type { UserListEntry } from '../../shared/contract/users';
import { TillError } from '../../shared/errors';
import { DEFAULT_OPERATIONS } from '../../core/operations';
import { afterFailure, lockedUntil, minutesLeft, NO_ATTEMPTS, type AttemptState } from '../../core/lockout';
import { activeLines, type CartState } from '../../core/cart';
import { cachedStatement, type Ledger, type SqliteDb } from '../../ledger/index';
import { readUserRow, saveUser, type LoginPolicy, type Sessions, type UserRow } from './auth';
import { USER_SAVED, registerCatalogProjectors } from '../projections/catalog';
import {
  CASHIER_SWITCHED,
  OPERATIONS_SETTINGS_SAVED,
  USER_UNLOCKED,
  registerOperationsProjectors,
  type CashierSwitchedPayload,
} from '../projections/operations';
import type { Handlers } from './handler-types';

/** the last settings text read and its parsed value: read on every call, parsed only when it changed */
let lastOperations: { text: string; value: OperationsSettings } | null = null;

export function readOperations(db: SqliteDb): OperationsSettings {
  const text = cachedStatement(db, 'SELECT settings FROM operations_settings WHERE id = 1').pluck().get() as string | undefined;
  if (text === undefined) return DEFAULT_OPERATIONS;
  if (lastOperations?.text !== text) lastOperations = { text, value: operationsSettingsSchema.parse(JSON.parse(text)) };
  return lastOperations.value;
}

/** journals the store-operations settings (a manager's call, the CLI, tests) */
export function saveOperations(ledger: Ledger, settings: OperationsSettings): OperationsSettings {
  registerOperationsProjectors(ledger);
  const s = operationsSettingsSchema.parse(settings);
  ledger.append(OPERATIONS_SETTINGS_SAVED, s);
  return s;
}

/** the LoginPolicy of a terminal, over its login_attempts table */
export class LoginGuard implements LoginPolicy {
  constructor(
    private readonly db: SqliteDb,
    private readonly clock: () => Date,
  ) {}

  private state(code: string): AttemptState {
    const r = this.db.prepare('SELECT failures, locked_until AS lockedUntil FROM login_attempts WHERE user_code = ?').get(code) as AttemptState | undefined;
    return r ?? NO_ATTEMPTS;
  }

  lockedUntil(code: string): Date | null {
    return lockedUntil(this.state(code), this.clock());
  }

  before(code: string): void {
    const now = this.clock();
    const until = lockedUntil(this.state(code), now);
    if (until) throw new TillError('locked-out', `user ${code} is locked after too many wrong PINs: try again in ${minutesLeft(until, now)} min, or ask a supervisor to unlock it`);
  }

  failed(code: string): void {
    const next = afterFailure(this.state(code), this.clock(), readOperations(this.db).lockout);
    this.db
      .prepare('INSERT INTO login_attempts (user_code, failures, locked_until) VALUES (?, ?, ?) ON CONFLICT (user_code) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until')
      .run(code, next.failures, next.lockedUntil);
  }

  succeeded(code: string): void {
    this.db.prepare('DELETE FROM login_attempts WHERE user_code = ?').run(code);
  }

  idleMs(): number {
    return readOperations(this.db).idleSignOutMinutes * 60_000;
  }
}

function userRow(ledger: Ledger, code: string): UserRow {
  const r = readUserRow(ledger, code);
  if (!r) throw new TillError('not-found', `there is no user ${code}`);
  return r;
}

/** journals a user as disabled (or enabled again), keeping the PIN hash */
export function setUserActive(ledger: Ledger, code: string, active: boolean): UserListEntry {
  registerCatalogProjectors(ledger);
  const r = userRow(ledger, code);
  ledger.append(USER_SAVED, { code: r.code, name: r.name, role: r.role, pinHash: r.pin_hash, active });
  return { code: r.code, name: r.name, role: r.role, active, lockedUntil: null };
}

export function listUsers(ledger: Ledger, guard: { lockedUntil(code: string): Date | null }): UserListEntry[] {
  const rows = ledger.db.prepare('SELECT code, name, role, pin_hash, active FROM users ORDER BY code').all() as UserRow[];
  return rows.map((r) => ({ code: r.code, name: r.name, role: r.role, active: r.active === 1, lockedUntil: guard.lockedUntil(r.code)?.toISOString() ?? null }));
}

export interface UsersDeps {
  ledger: Ledger;
  sessions: Sessions;
  guard: LoginGuard;
  openShiftId: () => string | null;
}

type UserMethods = 'auth.switchUser' | 'users.list' | 'users.save' | 'users.disable' | 'users.unlock' | 'settings.operations' | 'settings.setOperations';

export function userHandlers(d: UsersDeps): Pick<Handlers, UserMethods> {
  const { ledger } = d;
  return {
    'auth.switchUser': async (i, c, s) => {
      if (ledger.carts.list().some((x) => activeLines(x.state as CartState).length > 0 || (x.state as CartState).tenders.length > 0)) {
        throw new TillError('conflict', 'a sale is open: finish it, void it or hold it before handing the till over');
      }
      const next = await d.sessions.login(i.userCode, i.pin);
      const payload: CashierSwitchedPayload = { from: { code: c.user.code, name: c.user.name }, to: { code: next.user.code, name: next.user.name }, shiftId: d.openShiftId() };
      try {
        ledger.append(CASHIER_SWITCHED, payload);
      } catch (e) {
        d.sessions.logout(next.token);
        throw e;
      }
      if (s) d.sessions.logout(s.token);
      return { sessionToken: next.token, user: next.user };
    },
    'users.list': () => ({ users: listUsers(ledger, d.guard) }),
    'users.save': (i) => saveUser(ledger, i),
    'users.disable': (i, c) => {
      if (i.code === c.user.code) throw new TillError('conflict', 'you cannot disable yourself: ask another admin');
      return setUserActive(ledger, i.code, false);
    },
    'users.unlock': (i, c) => {
      userRow(ledger, i.code);
      ledger.append(USER_UNLOCKED, { code: i.code, by: c.user.code }, (db) => void db.prepare('DELETE FROM login_attempts WHERE user_code = ?').run(i.code));
      return {};
    },
    'settings.operations': () => readOperations(ledger.db),
    'settings.setOperations': (i) => saveOperations(ledger, i),
  };
}
