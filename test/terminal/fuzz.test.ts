import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { z } from 'zod';
import { contract, METHOD_NAMES } from '../../src/shared/contract';
import { openFixture, P, type Fixture } from './fixture';

let f: Fixture;
beforeAll(async () => {
  f = await openFixture();
  // a cart with something in it, so a malformed call has something it could damage
  await f.ok('cart.scan', { code: P.water.barcodes[0] });
});
afterAll(() => f.close());

const snapshot = () => ({ head: f.t.ledger.head(), carts: JSON.stringify(f.t.ledger.carts.list()) });

/** values that are wrong for a field of almost any schema */
const junk = fc.oneof(
  fc.anything(),
  fc.constantFrom(null, -1, 1.5, 1e21, '', 'x'.repeat(5000), [], {}, true, Number.NaN),
);

describe('every contract call, fuzzed with malformed input', () => {
  for (const method of METHOD_NAMES) {
    it(`${method}: a coded refusal and nothing written`, async () => {
      const schema = contract[method].input as z.ZodType;
      const malformed = fc
        .oneof(junk, fc.dictionary(fc.string({ maxLength: 12 }), junk, { minKeys: 1, maxKeys: 4 }))
        .filter((v) => !schema.safeParse(v).success);
      await fc.assert(
        fc.asyncProperty(malformed, async (input) => {
          const before = snapshot();
          const r = await f.call(method, input);
          expect(r.ok).toBe(false);
          expect(['bad-input', 'control-character']).toContain(r.error?.code);
          expect(r.error?.message.length).toBeGreaterThan(0);
          expect(snapshot()).toEqual(before);
        }),
        { numRuns: 40 },
      );
    });
  }

  it('scanning any string gives an item or a coded refusal, never internal', async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.stringMatching(/^\d{1,24}$/), fc.string({ minLength: 1, maxLength: 30 })), async (code) => {
        const r = await f.call('cart.scan', { code });
        if (!r.ok) expect(['bad-barcode', 'unknown-barcode', 'not-found', 'bad-input', 'control-character']).toContain(r.error?.code);
      }),
      { numRuns: 200 },
    );
  });
});
