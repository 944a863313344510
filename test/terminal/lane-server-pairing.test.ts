import { describe, expect, it } from 'vitest';
import { LOCKOUT_MS, MAX_FAILURES, newPairingCode, PairingGate } from '../../src/terminal/lane/pairing';

describe('PairingGate', () => {
  it('accepts only the exact code', () => {
    const g = new PairingGate('042917');
    expect(g.check('a', '042917')).toBe('ok');
    expect(g.check('a', '42917')).toBe('wrong');
    expect(g.check('a', '042917 ')).toBe('wrong');
    expect(g.check('a', '0429170')).toBe('wrong');
    expect(g.check('a', undefined)).toBe('missing');
    expect(g.check('a', 42917)).toBe('missing');
  });

  it('locks an address out after repeated failures, then lets it try again', () => {
    let now = 0;
    const g = new PairingGate('111111', () => now);
    for (let i = 1; i < MAX_FAILURES; i++) expect(g.check('10.0.0.9', '222222')).toBe('wrong');
    expect(g.check('10.0.0.9', '222222')).toBe('locked-out');
    expect(g.check('10.0.0.9', '111111')).toBe('locked-out');
    expect(g.check('10.0.0.10', '111111')).toBe('ok');
    now += LOCKOUT_MS + 1;
    expect(g.check('10.0.0.9', '111111')).toBe('ok');
  });

  it('makes six-digit codes and refuses anything else', () => {
    for (let i = 0; i < 50; i++) expect(newPairingCode()).toMatch(/^\d{6}$/);
    expect(() => new PairingGate('12345')).toThrow(/six digits/);
  });
});
