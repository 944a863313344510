/**
 * The pairing gate of the lane server. Every lane server has a per-launch
 * secret (long, random, handed to the Electron window and printed in the URL
 * of npm start) and a six-digit pairing code shown at the till for a browser
 * or tablet opened by hand. A handshake passes with the secret, or with the
 * code; a device that paired with the code is handed the secret for its
 * reconnections. Guessing the code is bounded three ways: an address that
 * fails five times waits five minutes; every failure from any address counts
 * against a global budget, and when it is spent the code is replaced (so
 * many addresses guessing together search a fresh code each time); and a code
 * that paired a device is replaced too (spent), so a code seen over a
 * shoulder is worth one pairing. Comparisons are constant-time.
 */
import { randomBytes, randomInt, timingSafeEqual } from 'node:crypto';

export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60_000;
/** wrong codes from all addresses together before the code is replaced */
export const GLOBAL_BUDGET = 10;

export const newPairingCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');
export const newLaneSecret = (): string => randomBytes(32).toString('base64url');

export type PairingVerdict = 'ok' | 'paired' | 'missing' | 'wrong' | 'locked-out';

function sameText(presented: string, expected: string): boolean {
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export class PairingGate {
  private readonly failures = new Map<string, { count: number; until: number }>();
  private spent = 0;
  private current: string;

  constructor(
    code: string,
    readonly secret: string = newLaneSecret(),
    private readonly now: () => number = Date.now,
    /** told the new code whenever the code is replaced */
    private readonly onNewCode: (code: string) => void = () => undefined,
  ) {
    if (!/^\d{6}$/.test(code)) throw new TypeError('a pairing code is six digits');
    this.current = code;
  }

  get code(): string {
    return this.current;
  }

  private rotate(): void {
    this.current = newPairingCode();
    this.spent = 0;
    this.onNewCode(this.current);
  }

  /**
   * 'ok': the secret; 'paired': the right code (now replaced); 'missing':
   * neither was presented; 'wrong' or 'locked-out' for this address.
   */
  check(address: string, presented: { secret?: unknown; code?: unknown }): PairingVerdict {
    if (typeof presented.secret === 'string' && sameText(presented.secret, this.secret)) return 'ok';
    const f = this.failures.get(address);
    const t = this.now();
    if (f && f.count >= MAX_FAILURES && t < f.until) return 'locked-out';
    const code = presented.code;
    if (typeof code !== 'string' || code.length === 0) return presented.secret === undefined ? 'missing' : this.fail(address, f, t);
    if (code.length === 6 && sameText(code, this.current)) {
      this.failures.delete(address);
      this.rotate();
      return 'paired';
    }
    return this.fail(address, f, t);
  }

  private fail(address: string, f: { count: number; until: number } | undefined, t: number): PairingVerdict {
    const count = f && t < f.until ? f.count + 1 : 1;
    this.failures.set(address, { count, until: t + LOCKOUT_MS });
    this.spent += 1;
    if (this.spent >= GLOBAL_BUDGET) this.rotate();
    return count >= MAX_FAILURES ? 'locked-out' : 'wrong';
  }
}
