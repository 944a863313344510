import { describe, expect, it } from 'vitest';
import { GLOBAL_BUDGET, LOCKOUT_MS, MAX_FAILURES, newPairingCode, PairingGate } from '../../src/terminal/lane/pairing';

const code = (c: unknown) => ({ code: c });

describe('PairingGate', () => {
  it('accepts the per-launch secret, or the exact code once (then the code changes)', () => {
    const seen: string[] = [];
    const g = new PairingGate('042917', 'S'.repeat(43), () => 0, (c) => seen.push(c));
    expect(g.check('a', { secret: 'S'.repeat(43) })).toBe('ok');
    expect(g.check('a', { secret: 'S'.repeat(42) })).toBe('wrong');
    expect(g.check('a', code('42917'))).toBe('wrong');
    expect(g.check('a', code('042917 '))).toBe('wrong');
    expect(g.check('b', code(undefined))).toBe('missing');
    expect(g.check('b', code(42917))).toBe('missing');
    expect(g.check('b', code('042917'))).toBe('paired');
    expect(seen).toHaveLength(1);
    expect(g.code).toBe(seen[0]);
    expect(g.check('c', code('042917'))).toBe(g.code === '042917' ? 'paired' : 'wrong');
  });

  it('locks an address out after repeated failures, then lets it try again', () => {
    let now = 0;
    const g = new PairingGate('111111', undefined, () => now);
    for (let i = 1; i < MAX_FAILURES; i++) expect(g.check('10.0.0.9', code('222222'))).toBe('wrong');
    expect(g.check('10.0.0.9', code('222222'))).toBe('locked-out');
    expect(g.check('10.0.0.9', code(g.code))).toBe('locked-out');
    expect(g.check('10.0.0.9', { secret: g.secret })).toBe('ok');
    now += LOCKOUT_MS + 1;
    expect(g.check('10.0.0.9', code(g.code))).toBe('paired');
  });

  it('many addresses guessing together spend a global budget, and then face a new code', () => {
    const seen: string[] = [];
    const g = new PairingGate('111111', undefined, () => 0, (c) => seen.push(c));
    const first = g.code;
    for (let i = 0; i < GLOBAL_BUDGET; i++) g.check(`127.0.0.${i + 2}`, code(i === 0 ? '222222' : String(300000 + i)));
    expect(seen).toHaveLength(1);
    expect(g.code).toBe(seen[0]);
    // the old code no longer pairs (unless the new one happens to be the same)
    if (g.code !== first) expect(g.check('127.0.0.99', code(first))).toBe('wrong');
  });

  it('makes six-digit codes and refuses anything else', () => {
    for (let i = 0; i < 50; i++) expect(newPairingCode()).toMatch(/^\d{6}$/);
    expect(() => new PairingGate('12345')).toThrow(/six digits/);
  });
});
