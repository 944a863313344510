import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, METHOD_NAMES } from '../../src/shared/contract';
import { isPermission } from '../../src/core/permissions';

describe('the contract', () => {
  it('gives every call a summary and an access the permission matrix knows', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(20);
    for (const name of METHOD_NAMES) {
      const def = contract[name];
      expect(def.summary.length, name).toBeGreaterThan(5);
      const access = def.access;
      expect(access === 'public' || access === 'session' || isPermission(access), `${name}: ${access}`).toBe(true);
    }
  });

  it('refuses unknown keys and wrong types in every input', () => {
    for (const name of METHOD_NAMES) {
      const input = contract[name].input as z.ZodType;
      expect(input.safeParse({ surprise: 1 }).success, name).toBe(false);
      expect(input.safeParse('text').success, name).toBe(false);
      expect(input.safeParse(null).success, name).toBe(false);
    }
  });

  it('names calls domain.verb', () => {
    for (const name of METHOD_NAMES) expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
  });
});
