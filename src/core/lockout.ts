/**
 * PIN lockout: after `maxFailures` wrong entries in a row a user code is
 * locked for `minutes`; while locked even the right PIN is refused. A lock
 * that has run out starts a fresh count; a good PIN clears the count. The
 * state is kept by the terminal (login_attempts) so a restart keeps a lock.
 */
import type { OperationsSettings } from '../shared/contract/operations';

export interface AttemptState {
  failures: number;
  /** UTC ISO, or null when not locked */
  lockedUntil: string | null;
}

export const NO_ATTEMPTS: AttemptState = { failures: 0, lockedUntil: null };

export function lockedUntil(s: AttemptState, now: Date): Date | null {
  if (s.lockedUntil === null) return null;
  const until = new Date(s.lockedUntil);
  return until.getTime() > now.getTime() ? until : null;
}

/** the state after one more wrong PIN */
export function afterFailure(s: AttemptState, now: Date, policy: OperationsSettings['lockout']): AttemptState {
  const expired = s.lockedUntil !== null && lockedUntil(s, now) === null;
  const failures = (expired ? 0 : s.failures) + 1;
  if (failures >= policy.maxFailures) return { failures: 0, lockedUntil: new Date(now.getTime() + policy.minutes * 60_000).toISOString() };
  return { failures, lockedUntil: expired ? null : s.lockedUntil };
}

/** minutes left, rounded up, for the message a locked user reads */
export function minutesLeft(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}
