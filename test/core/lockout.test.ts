import { describe, expect, it } from 'vitest';
import { afterFailure, lockedUntil, minutesLeft, NO_ATTEMPTS, type AttemptState } from '../../src/core/lockout';

const policy = { maxFailures: 5, minutes: 15 };
const t = (min: number) => new Date(Date.UTC(2026, 5, 1, 4, min));

describe('PIN lockout', () => {
  it('locks on the 5th failure in a row for 15 minutes, then starts a fresh count', () => {
    let s: AttemptState = NO_ATTEMPTS;
    for (let i = 1; i <= 4; i++) {
      s = afterFailure(s, t(0), policy);
      expect(s).toEqual({ failures: i, lockedUntil: null });
    }
    s = afterFailure(s, t(1), policy);
    expect(s).toEqual({ failures: 0, lockedUntil: t(16).toISOString() });
    expect(lockedUntil(s, t(15))).toEqual(t(16));
    expect(minutesLeft(t(16), t(15))).toBe(1);
    expect(lockedUntil(s, t(16))).toBeNull();
    const after = afterFailure(s, t(20), policy);
    expect(after).toEqual({ failures: 1, lockedUntil: null });
  });

  it('honours the configured number of tries and time', () => {
    const s = afterFailure(afterFailure(NO_ATTEMPTS, t(0), { maxFailures: 2, minutes: 60 }), t(0), { maxFailures: 2, minutes: 60 });
    expect(lockedUntil(s, t(59))).toEqual(t(60));
  });
});
