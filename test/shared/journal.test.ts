import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashPreimage } from '../../src/shared/journal';

describe('hashPreimage', () => {
  it('is exactly the JSON array [prevHash, seq, id, type, at, payload], whatever the strings hold', () => {
    const text = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.string({ unit: 'binary' }), fc.constantFrom('a"b', 'a\\b', '\u0000', '\ud800', '商品\n'));
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), text, text, text, text, (prev, seq, id, type, at, payload) => {
        expect(hashPreimage(prev, seq, id, type, at, payload)).toBe(JSON.stringify([prev, seq, id, type, at, payload]));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps every field apart: moving a character from one field to the next changes the preimage', () => {
    const a = hashPreimage('0'.repeat(64), 2, '01HZZZZZZZZZZZZZZZZZZZZZ01', 'Sale', '2026-03-01T08:00:00.000Z', '{}');
    const b = hashPreimage('0'.repeat(64), 2, '01HZZZZZZZZZZZZZZZZZZZZZ0', '1Sale', '2026-03-01T08:00:00.000Z', '{}');
    expect(a).not.toBe(b);
  });
});
