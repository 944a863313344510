import { TillError } from '../../src/shared/errors';

/** runs fn and returns the TillError it throws; fails the test when it throws nothing or something else */
export function tillError(fn: () => unknown): TillError {
  try {
    fn();
  } catch (e) {
    if (e instanceof TillError) return e;
    throw e;
  }
  throw new Error('expected a TillError');
}
