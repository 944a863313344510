import { describe, expect, it } from 'vitest';
import { isEventName, isMethodName, parseCallEnvelope } from '../../../src/shared/contract/api';
import { METHOD_NAMES } from '../../../src/shared/contract';

describe('parseCallEnvelope', () => {
  it('accepts a contract method with its context', () => {
    expect(parseCallEnvelope({ method: 'system.status', input: {}, ctx: { sessionToken: 'abc', override: { userCode: '900', pin: '1234' } } })).toEqual({
      ok: true,
      value: { method: 'system.status', input: {}, ctx: { sessionToken: 'abc', override: { userCode: '900', pin: '1234' } } },
    });
    expect(parseCallEnvelope({ method: 'system.status', input: {} })).toEqual({ ok: true, value: { method: 'system.status', input: {}, ctx: {} } });
  });

  it('refuses a method outside the contract', () => {
    expect(parseCallEnvelope({ method: 'fs.readFile', input: {} })).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(parseCallEnvelope({ method: '__proto__', input: {} })).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(parseCallEnvelope({ method: 'toString', input: {} })).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
  });

  it('refuses what is not a call envelope', () => {
    for (const raw of [null, 'system.status', 42, [], { input: {} }, { method: 'system.status', input: {}, extra: 1 }, { method: 'system.status', ctx: { sessionToken: 5 } }, { method: 'system.status', ctx: { admin: true } }]) {
      expect(parseCallEnvelope(raw)).toMatchObject({ ok: false, error: { code: 'bad-input' } });
    }
  });

  it('knows exactly the contract methods and events', () => {
    for (const m of METHOD_NAMES) expect(isMethodName(m)).toBe(true);
    expect(isMethodName('constructor')).toBe(false);
    expect(isEventName('cart.changed')).toBe(true);
    expect(isEventName('hasOwnProperty')).toBe(false);
  });
});
