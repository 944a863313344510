import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/shared/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: 'x' }, u: undefined })).toBe('{"a":{"c":"x","d":[1,{"y":2,"z":1}]},"b":1}');
  });
  it('refuses floats, NaN and functions', () => {
    expect(() => canonicalJson({ price: 1.5 })).toThrow(/\$\.price = 1.5/);
    expect(() => canonicalJson([Number.NaN])).toThrow(/safe integers/);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(/function/);
  });
});
