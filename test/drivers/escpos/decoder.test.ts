import fc from 'fast-check';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { printer as ThermalPrinter, types as PrinterTypes, characterSet as CharacterSet } from 'node-thermal-printer';
import receiptline from 'receiptline';
import { EscPosDecoder, decodeEscPos, type DecodedItem } from '../../../drivers/escpos/decoder';
import { encodeReceipt } from '../../../drivers/escpos/encoder';
import { jobLines, jobToText } from '../../../drivers/escpos/render';
import { getDot, wordmarkLogo } from '../../../drivers/escpos/raster';
import { PNG } from 'pngjs';
import type { ReceiptDocument } from '../../../src/shared/receipt';

const kinds = (items: DecodedItem[]) => items.map((i) => i.kind);

function thermal(width = 48) {
  return new ThermalPrinter({ type: PrinterTypes.EPSON, interface: 'tcp://127.0.0.1:1', characterSet: CharacterSet.CHINA, width });
}

describe('decoder on our own encoder', () => {
  const doc: ReceiptDocument = {
    receiptNo: 'R-9',
    kind: 'sale',
    openDrawer: true,
    blocks: [
      { kind: 'logo' },
      { kind: 'text', text: '全家 FamilyMart', align: 'center', bold: true, size: 'double' },
      { kind: 'pair', left: '合计', right: '12.50' },
      { kind: 'qr', data: 'https://till.example/r/R-9?店=1' },
      { kind: 'barcode', data: 'R-9', symbology: 'CODE128' },
    ],
  };

  it('reads back text with styles, the QR payload, the barcode, the logo, the drawer kick and the cut', () => {
    const items = decodeEscPos(encodeReceipt(doc, { width: 80, logo: wordmarkLogo() }));
    const title = items.find((i) => i.kind === 'line' && i.spans.some((s) => s.text.includes('全家')));
    expect(title).toMatchObject({ kind: 'line', align: 'center', spans: [{ text: '全家 FamilyMart', bold: true, width: 2, height: 2 }] });
    expect(items).toContainEqual(expect.objectContaining({ kind: 'qr', data: 'https://till.example/r/R-9?店=1' }));
    expect(items).toContainEqual(expect.objectContaining({ kind: 'barcode', symbology: 'CODE128', data: 'R-9' }));
    expect(items).toContainEqual({ kind: 'drawer', pin: 2, onMs: 50, offMs: 500, realtime: false });
    expect(kinds(items)).toContain('image');
    expect(items[items.length - 1]).toEqual({ kind: 'cut', partial: true });
  });

  it('gives the same result whatever the chunking', () => {
    const bytes = encodeReceipt(doc, { width: 58, logo: wordmarkLogo() });
    const whole = decodeEscPos(bytes);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), (cuts) => {
        const items: DecodedItem[] = [];
        const d = new EscPosDecoder({ onItem: (i) => items.push(i) });
        let prev = 0;
        for (const c of [...new Set(cuts)].sort((a, b) => a - b)) {
          d.push(bytes.subarray(prev, c));
          prev = c;
        }
        d.push(bytes.subarray(prev));
        d.finish();
        expect(items).toEqual(whole);
      }),
      { numRuns: 60, seed: 42 },
    );
  });

  it('answers real-time requests as they arrive', () => {
    const seen: string[] = [];
    const d = new EscPosDecoder({ onRealtime: (r) => seen.push(`${r.kind}:${r.n}`) });
    d.push(Buffer.from([0x10, 0x04, 0x01, 0x10]));
    d.push(Buffer.from([0x04, 0x04, 0x1d, 0x72, 0x01]));
    expect(seen).toEqual(['dle-eot:1', 'dle-eot:4', 'gs-r:1']);
  });
});

describe('decoder on other encoders', () => {
  it('node-thermal-printer (EPSON, CharacterSet.CHINA): Chinese text, bold, alignment, QR, CODE128, cut, drawer', () => {
    const p = thermal();
    p.alignCenter();
    p.bold(true);
    p.println('欢迎光临 全家便利店');
    p.bold(false);
    p.alignLeft();
    p.leftRight('矿泉水 x2', '4.00');
    p.println('合计: ￥4.00');
    p.printQR('R-0042');
    p.code128('R-0042');
    p.openCashDrawer();
    p.cut();
    const items = decodeEscPos(p.getBuffer());
    const lines = jobLines(items);
    expect(lines).toContain('欢迎光临 全家便利店');
    expect(lines).toContain('合计: ￥4.00');
    expect(lines.some((l) => l.startsWith('矿泉水 x2') && l.endsWith('4.00'))).toBe(true);
    expect(items).toContainEqual(expect.objectContaining({ kind: 'line', align: 'center', spans: [expect.objectContaining({ bold: true, text: '欢迎光临 全家便利店' })] }));
    expect(items).toContainEqual(expect.objectContaining({ kind: 'qr', data: 'R-0042' }));
    expect(items).toContainEqual(expect.objectContaining({ kind: 'barcode', symbology: 'CODE128', data: 'R-0042' }));
    // its drawer kick lacks the timing bytes: ESC p 0 takes the next kick's ESC p as its times (pitfall)
    expect(items).toContainEqual({ kind: 'drawer', pin: 2, onMs: 0x1b * 2, offMs: 0x70 * 2, realtime: false });
    expect(items).toContainEqual({ kind: 'unknown', name: 'control 0x01', hex: '01' });
    expect(items).toContainEqual({ kind: 'cut', partial: false });
  });

  it('shows the "¥" pitfall of node-thermal-printer: it switches code page and the next Chinese comes out wrong', () => {
    const p = thermal();
    p.println('¥4.00 合计');
    const lines = jobLines(decodeEscPos(p.getBuffer()));
    expect(lines[0]).not.toBe('¥4.00 合计');
    const q = thermal();
    q.println('￥4.00 合计');
    expect(jobLines(decodeEscPos(q.getBuffer()))[0]).toBe('￥4.00 合计');
  });

  it('node-thermal-printer raster image (GS v 0) from a PNG', async () => {
    const logo = wordmarkLogo('AB');
    const png = new PNG({ width: logo.width, height: logo.height });
    png.data.fill(255);
    for (let y = 0; y < logo.height; y++) for (let x = 0; x < logo.width; x++) if (getDot(logo, x, y)) png.data.fill(0, (y * logo.width + x) * 4, (y * logo.width + x) * 4 + 3);
    const p = thermal();
    await p.printImageBuffer(PNG.sync.write(png));
    const img = decodeEscPos(p.getBuffer()).find((i) => i.kind === 'image');
    expect(img && img.kind === 'image' ? img.raster.data.equals(logo.data) : false).toBe(true);
  });

  it('receiptline (escpos, gb18030): columns, Chinese, QR and barcode as graphics or codes', () => {
    const markup = '便利店 Till\n-\n可乐 | 3.50\n农夫山泉 | 2.00\n^合计 | ^5.50\n{code:R-77; option:code128,2,72,hri}\n{code:R-77; option:qrcode,4,m}\n';
    const out = receiptline.transform(markup, { cpl: 48, encoding: 'gb18030', command: 'escpos', cutting: true });
    const items = decodeEscPos(Buffer.from(out, 'binary'));
    const text = jobToText(items, 48);
    const lines = jobLines(items).map((l) => l.trim());
    expect(lines).toContain('便利店 Till');
    expect(lines.some((l) => /^可乐\s+3\.50$/.test(l))).toBe(true);
    expect(lines.some((l) => /^合计\s+5\.50$/.test(l))).toBe(true);
    expect(items).toContainEqual(expect.objectContaining({ kind: 'barcode', symbology: 'CODE128', data: 'R-77' }));
    expect(kinds(items)).toContain('image');
    expect(kinds(items)).toContain('cut');
    expect(text).not.toContain('UNKNOWN');
    // receiptline draws QR codes itself and sends them as graphics (GS 8 L store + GS ( L print)
    const qr = items.find((i) => i.kind === 'image' && i.command === 'GS ( L');
    expect(qr && qr.kind === 'image' ? qr.raster.height : 0).toBeGreaterThan(60);
  });
});

describe('decoder on bad input', () => {
  it('reports unknown commands by name and hex and goes on', () => {
    const items = decodeEscPos(Buffer.concat([Buffer.from('ab\n'), Buffer.from([0x1b, 0x99]), Buffer.from('cd\n'), Buffer.from([0x01]), Buffer.from([0x1d, 0xfe])]));
    expect(items).toContainEqual({ kind: 'unknown', name: 'ESC 0x99', hex: '1b 99' });
    expect(items).toContainEqual({ kind: 'unknown', name: 'control 0x01', hex: '01' });
    expect(items).toContainEqual({ kind: 'unknown', name: 'GS 0xfe', hex: '1d fe' });
    expect(jobLines(items)).toEqual(['ab', 'cd']);
    expect(jobToText(items, 48)).toContain('[UNKNOWN ESC 0x99 (1b 99)]');
  });

  it('skips an oversized payload without storing it and notes a truncated command', () => {
    const huge = Buffer.from([0x1d, 0x76, 0x30, 0x00, 0xff, 0xff, 0xff, 0xff]);
    const d = new EscPosDecoder({ maxPayload: 1024, onItem: () => undefined });
    d.push(huge);
    d.push(Buffer.alloc(100_000));
    expect(d.buffered).toBe(0);
    const items = decodeEscPos(Buffer.from([0x1d, 0x28, 0x6b, 0x10]));
    expect(items[0]).toMatchObject({ kind: 'note' });
  });

  it('random bytes (seeded, bounded): no throw, no hang, bounded buffer and items', () => {
    const started = Date.now();
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 600 }), { maxLength: 8 }), (chunks) => {
        let count = 0;
        const d = new EscPosDecoder({ maxPayload: 4096, maxItems: 500, onItem: () => count++, onRealtime: () => undefined });
        for (const c of chunks) {
          d.push(c);
          expect(d.buffered).toBeLessThanOrEqual(4096 + 600 * 8);
        }
        d.finish();
        expect(count).toBeLessThanOrEqual(501);
      }),
      { numRuns: 1500, seed: 7 },
    );
    const heavy = Buffer.concat([Buffer.from([0x1b, 0x40, 0x1c, 0x26]), iconv.encode('压力测试'.repeat(5000), 'gb18030')]);
    expect(decodeEscPos(heavy).length).toBeGreaterThan(1);
    expect(Date.now() - started).toBeLessThan(20_000);
  });
});
