import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScanFramer, type FramerOptions } from '../../../drivers/scanner/frame-parser';

const codes = (f: ScanFramer, parts: Array<[string | number[], number]>) =>
  parts.flatMap(([p, at]) => f.push(typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p), at)).map((x) => x.code);

describe('scan framing', () => {
  it('ends frames at the configured suffix', () => {
    expect(codes(new ScanFramer({ suffix: 'CR' }), [['6901234567892\r4006381333931\r', 0]])).toEqual(['6901234567892', '4006381333931']);
    expect(codes(new ScanFramer({ suffix: 'LF' }), [['12345\n', 0]])).toEqual(['12345']);
    expect(codes(new ScanFramer({ suffix: 'CRLF' }), [['12345\r\n678', 0], ['90\r\n', 1]])).toEqual(['12345', '67890']);
  });

  it('CRLF mode refuses a frame ended by LF alone or with a stray CR inside', () => {
    expect(codes(new ScanFramer({ suffix: 'CRLF' }), [['12345\n', 0], ['12\r34\r\n', 1]])).toEqual([]);
  });

  it('without a suffix, the inter-byte timeout ends the frame', () => {
    const f = new ScanFramer({ suffix: 'none', interByteTimeoutMs: 30 });
    expect(codes(f, [['1234', 0], ['5678', 10]])).toEqual([]);
    expect(f.flush(20)).toEqual([]);
    expect(f.flush(45).map((x) => x.code)).toEqual(['12345678']);
    expect(codes(f, [['ABCD', 100], ['EFGH', 200]])).toEqual(['ABCD']);
  });

  it('drops partial frames, noise, short and over-long frames', () => {
    const f = new ScanFramer({ suffix: 'CR', interByteTimeoutMs: 50, minLength: 4, maxLength: 8 });
    expect(codes(f, [['1234', 0], ['5678\r', 200]])).toEqual(['5678']);
    expect(codes(f, [[[0x31, 0x32, 0x00, 0x33, 0x34, 0x0d], 300]])).toEqual([]);
    expect(codes(f, [['12\r', 400]])).toEqual([]);
    expect(codes(f, [['123456789\r', 500]])).toEqual([]);
    expect(codes(f, [[[0xe4, 0xb8, 0xad, 0x31, 0x32, 0x33, 0x0d], 600]])).toEqual([]);
    expect(codes(f, [['98765\r', 700]])).toEqual(['98765']);
  });

  it('honours a pattern and GS1 separators when allowed', () => {
    expect(codes(new ScanFramer({ suffix: 'CR', pattern: /^\d{8,14}$/ }), [['ABCDEFGH\r6901234567892\r', 0]])).toEqual(['6901234567892']);
    expect(codes(new ScanFramer({ suffix: 'CR', allowGs1: true }), [[[0x30, 0x31, 0x1d, 0x31, 0x30, 0x0d], 0]])).toEqual(['01\x1d10']);
  });

  it('rejects bad options with a TypeError naming them', () => {
    expect(() => new ScanFramer({ suffix: 'TAB' } as unknown as FramerOptions)).toThrow(/suffix/);
    expect(() => new ScanFramer({ suffix: 'CR', minLength: 9, maxLength: 4 })).toThrow(/minLength/);
  });

  it('random bytes (seeded, bounded): never a non-printable or over-long code, never throws', () => {
    fc.assert(
      fc.property(fc.constantFrom<FramerOptions['suffix']>('CR', 'LF', 'CRLF', 'none'), fc.array(fc.tuple(fc.uint8Array({ maxLength: 200 }), fc.nat(100)), { maxLength: 20 }), (suffix, chunks) => {
        const f = new ScanFramer({ suffix, maxLength: 32 });
        let t = 0;
        for (const [bytes, gap] of chunks) {
          t += gap;
          for (const frame of [...f.push(bytes, t), ...f.flush(t + 60)]) {
            expect(frame.code).toMatch(/^[\x20-\x7e]{3,32}$/);
          }
        }
      }),
      { numRuns: 2000, seed: 11 },
    );
  });
});
