import { describe, expect, it } from 'vitest';
import { WedgeDetector } from '../../src/shared/wedge';

function type(d: WedgeDetector, text: string, start: number, gap: number): ReturnType<WedgeDetector['feed']>[] {
  return [...text, 'Enter'].map((k, i) => d.feed(k, start + i * gap));
}

describe('WedgeDetector', () => {
  it('reports a fast run ended by Enter as a scan', () => {
    const d = new WedgeDetector();
    const out = type(d, '6901234567892', 1000, 8);
    expect(out.at(-1)).toEqual({ kind: 'scan', code: '6901234567892' });
    expect(out.slice(0, -1).every((v) => v.kind === 'key')).toBe(true);
  });

  it('does not take a person typing for a scanner', () => {
    const d = new WedgeDetector();
    expect(type(d, '6901234567892', 1000, 150).at(-1)).toEqual({ kind: 'key' });
  });

  it('starts over after a slow key, and ignores runs shorter than minLength', () => {
    const d = new WedgeDetector({ minLength: 8 });
    d.feed('x', 0);
    d.feed('y', 500);
    expect(type(d, '12345678', 1000, 5).at(-1)).toEqual({ kind: 'scan', code: '12345678' });
    expect(type(d, '1234', 5000, 5).at(-1)).toEqual({ kind: 'key' });
  });

  it('a slow Enter after a fast run is not a scan', () => {
    const d = new WedgeDetector();
    for (const [i, k] of [...'69012345'].entries()) d.feed(k, i * 5);
    expect(d.feed('Enter', 2000)).toEqual({ kind: 'key' });
  });

  it('passes over the Shift a scanner presses before each capital letter', () => {
    const d = new WedgeDetector();
    const keys = ['Shift', 'R', '-', '0', '0', '0', '1', 'Shift', 'X', 'Enter'];
    const out = keys.map((k, i) => d.feed(k, 1000 + i * 5));
    expect(out.at(-1)).toEqual({ kind: 'scan', code: 'R-0001X' });
  });

  it('a non-printable key clears the run', () => {
    const d = new WedgeDetector();
    for (const [i, k] of [...'690123'].entries()) d.feed(k, i * 5);
    d.feed('Backspace', 31);
    for (const [i, k] of [...'45'].entries()) d.feed(k, 35 + i * 5);
    expect(d.feed('Enter', 50)).toEqual({ kind: 'key' });
  });

  it('refuses nonsense options by name', () => {
    expect(() => new WedgeDetector({ maxGapMs: 0 })).toThrow(/maxGapMs/);
    expect(() => new WedgeDetector({ minLength: 0 })).toThrow(/minLength/);
  });
});
