import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../drivers/escpos/decoder';
import { encodeReceipt } from '../../../drivers/escpos/encoder';
import { asciiGlyph, GLYPH_H, GLYPH_W } from '../../../drivers/escpos/font';
import { jobToPng, jobToText } from '../../../drivers/escpos/render';

describe('job rendering', () => {
  const items = decodeEscPos(
    encodeReceipt(
      {
        receiptNo: 'R',
        kind: 'sale',
        openDrawer: false,
        blocks: [
          { kind: 'text', text: 'H', align: 'left' },
          { kind: 'text', text: '中文', align: 'right' },
          { kind: 'qr', data: 'R-1', size: 4 },
          { kind: 'barcode', data: 'R-1', symbology: 'CODE128' },
        ],
      },
      { width: 58 },
    ),
  );

  it('text: aligned within the paper width, with markers for codes and the cut', () => {
    const lines = jobToText(items, 32).split('\n');
    expect(lines[0]).toBe('H');
    expect(lines[1]).toBe(' '.repeat(28) + '中文');
    expect(lines).toContain(' '.repeat(12) + '[QR R-1]');
    expect(lines).toContain(' '.repeat(9) + '[CODE128 R-1]');
    expect(lines).toContain('[CUT partial]');
  });

  it('PNG: paper width at 12 dots a column, ASCII drawn with the 12x24 font', () => {
    const png = PNG.sync.read(jobToPng(items, 32));
    expect(png.width).toBe(32 * GLYPH_W + 16);
    expect(png.height).toBeGreaterThan(100);
    const glyph = asciiGlyph('H'.charCodeAt(0)) as readonly number[];
    for (let y = 0; y < GLYPH_H; y++) {
      for (let x = 0; x < GLYPH_W; x++) {
        const black = png.data[((8 + y) * png.width + 8 + x) * 4] === 0;
        expect(black).toBe(((glyph[y] as number) >> (GLYPH_W - 1 - x)) & 1 ? true : false);
      }
    }
  });
});
