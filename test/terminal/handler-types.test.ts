/**
 * What the compiler now finds (npm run typecheck compiles this file; each
 * @ts-expect-error fails the typecheck if the line it marks stops being an
 * error): a handler map missing a method, an access naming no permission, an
 * override asked for a permission that does not exist. At run time: the
 * permission names of the contract and the matrix's rows are the same set.
 */
import { describe, expect, it } from 'vitest';
import { PERMISSION_NAMES, type Access } from '../../src/shared/contract/define';
import { PERMISSIONS } from '../../src/core/permissions';
import type { Handlers } from '../../src/terminal';
import type { Call } from '../../src/terminal/handlers/call';

describe('handler and permission types', () => {
  it('refuse an incomplete handler map, an unknown access and an unknown override at compile time', () => {
    const widen = (partial: Omit<Handlers, 'sync.status'>) => {
      // @ts-expect-error a map without the 'sync.status' handler is not Handlers
      const complete: Handlers = partial;
      return complete;
    };
    // @ts-expect-error 'cart.sel' names no permission
    const access: Access = 'cart.sel';
    const ask = (c: Call) =>
      // @ts-expect-error an override is asked for a permission, not any string
      c.authorize('cart.anything', 'detail', () => true);
    expect([typeof widen, access, typeof ask]).toEqual(['function', 'cart.sel', 'function']);
  });

  it('the matrix has one row for each permission the contract may name, and no other', () => {
    expect(Object.keys(PERMISSIONS).sort()).toEqual([...PERMISSION_NAMES].sort());
  });
});
