/**
 * The pairing gate of a lane server bound to a LAN address. The terminal
 * prints a six-digit code; a client must present it in its socket handshake
 * before any call. Codes are compared in constant time, and an address that
 * fails five times is refused for five minutes, so the code cannot be
 * guessed by trying all million values.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';

export const MAX_FAILURES = 5;
export const LOCKOUT_MS = 5 * 60_000;

export const newPairingCode = (): string => String(randomInt(0, 1_000_000)).padStart(6, '0');

export type PairingVerdict = 'ok' | 'missing' | 'wrong' | 'locked-out';

export class PairingGate {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    readonly code: string,
    private readonly now: () => number = Date.now,
  ) {
    if (!/^\d{6}$/.test(code)) throw new TypeError('a pairing code is six digits');
  }

  check(address: string, presented: unknown): PairingVerdict {
    const f = this.failures.get(address);
    const t = this.now();
    if (f && f.count >= MAX_FAILURES && t < f.until) return 'locked-out';
    if (typeof presented !== 'string' || presented.length === 0) return 'missing';
    const a = Buffer.from(presented.padEnd(6, ' ').slice(0, 32));
    const b = Buffer.from(this.code.padEnd(a.length, ' '));
    if (a.length === b.length && timingSafeEqual(a, b) && presented.length === this.code.length) {
      this.failures.delete(address);
      return 'ok';
    }
    const count = f && t < f.until ? f.count + 1 : 1;
    this.failures.set(address, { count, until: t + LOCKOUT_MS });
    return count >= MAX_FAILURES ? 'locked-out' : 'wrong';
  }
}
