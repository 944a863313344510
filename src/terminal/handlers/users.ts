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
import { cachedStatement, type Ledger, type ReadableDb } from '../../ledger/index';
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

export function readOperations(db: ReadableDb): OperationsSettings {
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

/**
 * The LoginPolicy of a terminal. Wrong PINs are counted per source (the
 * cashier window is 'local'; each lane device is its own source) and per
 * user, in login_attempts, so a lock taken from one lane never keeps the user
 * out of another, and a restart keeps it; only users that exist get a row.
 * In memory, every source other than 'local' shares a budget of wrong PINs
 * (GLOBAL_FACTOR x maxFailures per lockout period; past it every lane waits,
 * the cashier window does not), and a lane source may fail at most BURST
 * times per BURST_WINDOW_MS, which bounds the guessing rate however many
 * users are tried.
 */
export const GLOBAL_FACTOR = 4;
/** a lane source may fail this many times per BURST_WINDOW_MS (a cashier's typo is never slowed) */
export const BURST = 3;
export const BURST_WINDOW_MS = 10_000;
export const LOCAL_SOURCE = 'local';

export class LoginGuard implements LoginPolicy {
  private readonly laneFailures: number[] = [];
  private readonly recentFailures = new Map<string, number[]>();

  constructor(
    private readonly ledger: Pick<Ledger, 'db' | 'transaction'>,
    private readonly clock: () => Date,
  ) {}

  private state(source: string, code: string): AttemptState {
    const r = this.ledger.db.prepare('SELECT failures, locked_until AS lockedUntil FROM login_attempts WHERE source = ? AND user_code = ?').get(source, code) as AttemptState | undefined;
    return r ?? NO_ATTEMPTS;
  }

  /** the latest lock of this user from any source */
  lockedUntil(code: string): Date | null {
    const rows = this.ledger.db.prepare('SELECT failures, locked_until AS lockedUntil FROM login_attempts WHERE user_code = ?').all(code) as AttemptState[];
    const now = this.clock();
    return rows.map((r) => lockedUntil(r, now)).reduce<Date | null>((a, b) => (b && (!a || b > a) ? b : a), null);
  }

  before(code: string, source: string): void {
    const now = this.clock();
    const t = now.getTime();
    if (source !== LOCAL_SOURCE) {
      const recent = (this.recentFailures.get(source) ?? []).filter((x) => x > t - BURST_WINDOW_MS);
      this.recentFailures.set(source, recent);
      if (recent.length >= BURST) throw new TillError('locked-out', 'too many sign-in attempts: wait a moment and try again');
      const policy = readOperations(this.ledger.db).lockout;
      const window = policy.minutes * 60_000;
      while (this.laneFailures.length && (this.laneFailures[0] as number) <= t - window) this.laneFailures.shift();
      if (this.laneFailures.length >= GLOBAL_FACTOR * policy.maxFailures) {
        const until = new Date((this.laneFailures[0] as number) + window);
        throw new TillError('locked-out', `too many wrong PINs on this till's lanes: try again in ${minutesLeft(until, now)} min, or sign in at the till itself`);
      }
    }
    const until = lockedUntil(this.state(source, code), now);
    if (until) throw new TillError('locked-out', `user ${code} is locked here after too many wrong PINs: try again in ${minutesLeft(until, now)} min, or ask a supervisor to unlock it`);
  }

  failed(code: string, source: string, known: boolean): void {
    const t = this.clock().getTime();
    if (source !== LOCAL_SOURCE) {
      this.laneFailures.push(t);
      this.recentFailures.set(source, [...(this.recentFailures.get(source) ?? []), t]);
    }
    if (!known) return;
    const next = afterFailure(this.state(source, code), this.clock(), readOperations(this.ledger.db).lockout);
    this.ledger.transaction((db) =>
      db
        .prepare('INSERT INTO login_attempts (source, user_code, failures, locked_until) VALUES (?, ?, ?, ?) ON CONFLICT (source, user_code) DO UPDATE SET failures = excluded.failures, locked_until = excluded.locked_until')
        .run(source, code, next.failures, next.lockedUntil),
    );
  }

  succeeded(code: string, source: string): void {
    this.recentFailures.delete(source);
    this.ledger.transaction((db) => db.prepare('DELETE FROM login_attempts WHERE source = ? AND user_code = ?').run(source, code));
  }

  idleMs(): number {
    return readOperations(this.ledger.db).idleSignOutMinutes * 60_000;
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
  ledger.append(USER_SAVED, { code: r.code, name: r.name, role: r.role, pinHash: r.pin_hash, active, ...(r.must_change_pin === 1 ? { mustChangePin: true } : {}) });
  return { code: r.code, name: r.name, role: r.role, active, lockedUntil: null };
}

export function listUsers(ledger: Ledger, guard: { lockedUntil(code: string): Date | null }): UserListEntry[] {
  const rows = ledger.db.prepare('SELECT code, name, role, pin_hash, active, must_change_pin FROM users ORDER BY code').all() as UserRow[];
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
      const next = await d.sessions.login(i.userCode, i.pin, c.source);
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
