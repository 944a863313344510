import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { decodeEscPos } from '../../../drivers/escpos/decoder';
import { encodeReceipt } from '../../../drivers/escpos/encoder';
import { jobToPng } from '../../../drivers/escpos/render';
import { CJK_FONT_CANDIDATES, TrueTypeFont } from '../../../drivers/escpos/truetype';

describe('TrueType CJK glyphs (needs fonts-wqy-microhei, installed on Till machines)', () => {
  const font = TrueTypeFont.findCjk();

  it('finds an installed CJK font and draws 中 with its vertical stroke in the middle', () => {
    expect(font, `none of ${CJK_FONT_CANDIDATES.join(', ')} is installed`).not.toBeNull();
    const g = (font as TrueTypeFont).glyph('中', 24);
    expect(g).not.toBeNull();
    const dots = (g as { dots: Uint8Array }).dots;
    const column = (x: number) => Array.from({ length: 24 }, (_, y) => dots[y * 24 + x]).filter(Boolean).length;
    const middle = Math.max(column(11), column(12));
    expect(middle).toBeGreaterThanOrEqual(16);
    expect(column(0)).toBe(0);
    expect((font as TrueTypeFont).glyph('\ue000', 24)).toBeNull();
  });

  it('the receipt PNG uses the glyphs (differs from the box fallback), and a non-font is refused', () => {
    const items = decodeEscPos(encodeReceipt({ receiptNo: 'R', kind: 'sale', openDrawer: false, blocks: [{ kind: 'text', text: '中文收据' }] }, { width: 58 }));
    const boxes = PNG.sync.read(jobToPng(items, 32));
    const glyphs = PNG.sync.read(jobToPng(items, 32, font));
    expect(glyphs.width).toBe(boxes.width);
    expect(glyphs.data.equals(boxes.data)).toBe(false);
    expect(() => new TrueTypeFont(Buffer.from('this is not a font at all, really not'))).toThrow(/not a TrueType/);
  });
});
