import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPushBatch, pushBatchSchema } from '../../src/shared/replication';
import { makeChain } from '../hub/fixtures';

const good = makeChain('S1', 'T1', 3);

/** mutations of a valid batch, each breaking (or not) one rule */
const mutation = fc.oneof(
  fc.constant((b: Record<string, unknown>) => b),
  fc.record({ i: fc.nat(2), field: fc.constantFrom('seq', 'id', 'type', 'at', 'payload', 'prevHash', 'hash', 'extra'), value: fc.oneof(fc.string(), fc.integer(), fc.double(), fc.constant(null), fc.constant(undefined), fc.boolean(), fc.constant('x'.repeat(65)), fc.constant('a'.repeat(64)), fc.constant('01JABCDEFGHJKMNPQRSTVWXYZ0'), fc.constant('2026-01-01T00:00:00.000Z')) }).map(
    ({ i, field, value }) =>
      (b: Record<string, unknown>) => {
        const entries = (b.entries as Array<Record<string, unknown>>).map((e) => ({ ...e }));
        (entries[i] as Record<string, unknown>)[field] = value;
        return { entries };
      },
  ),
  fc.constant(() => ({ entries: [] })),
  fc.constant((b: Record<string, unknown>) => ({ ...b, more: 1 })),
  fc.constant(() => 'batch'),
  fc.constant(() => null),
  fc.constant(() => ({ entries: [null] })),
);

describe('checkPushBatch', () => {
  it('agrees with pushBatchSchema on valid and broken batches', () => {
    fc.assert(
      fc.property(mutation, (m) => {
        const input = m({ entries: good });
        const fast = checkPushBatch(input);
        const zod = pushBatchSchema.safeParse(input);
        expect(fast.ok).toBe(zod.success);
        if (fast.ok && zod.success) expect(fast.entries).toEqual(zod.data.entries);
      }),
      { numRuns: 500 },
    );
  });
});
