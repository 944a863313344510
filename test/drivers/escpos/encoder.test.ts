import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { cmd, concatCommands } from '../../../drivers/escpos/commands';
import { charColumns, columnsOf, wrap } from '../../../drivers/escpos/columns';
import { encodeReceipt, encodeReceiptCommands, encodeText } from '../../../drivers/escpos/encoder';
import { decodeEscPos } from '../../../drivers/escpos/decoder';
import { jobLines } from '../../../drivers/escpos/render';
import { getDot, loadLogo, rasterFromPng, wordmarkLogo } from '../../../drivers/escpos/raster';
import path from 'node:path';
import type { ReceiptDocument } from '../../../src/shared/receipt';

const hex = (b: Buffer) => b.toString('hex');

describe('ESC/POS command bytes', () => {
  it('drawer kick carries its timing bytes (ESC p 0 25 250)', () => {
    expect([...cmd.drawerKick().bytes]).toEqual([0x1b, 0x70, 0x00, 25, 250]);
    expect([...cmd.drawerKick(5, 50, 200).bytes]).toEqual([0x1b, 0x70, 0x01, 50, 200]);
    expect([...cmd.drawerKickRealtime(2, 1).bytes]).toEqual([0x10, 0x14, 1, 0, 1]);
  });

  it('QR is the GS ( k sequence: model 2, module size, ECC M, store (pL pH = len + 3), print', () => {
    const data = Buffer.from('R-0001');
    const bytes = concatCommands([cmd.qrModel(), cmd.qrSize(6), cmd.qrEcc('M'), cmd.qrStore(data), cmd.qrPrint()]);
    expect(hex(bytes)).toBe(
      '1d286b040031413200' + '1d286b0300314306' + '1d286b0300314531' + '1d286b0900315030' + data.toString('hex') + '1d286b0300315130',
    );
  });

  it('CODE128 is GS k 73 with a {B code set prefix and escaped braces', () => {
    expect(hex(cmd.code128('A{1').bytes)).toBe('1d6b4906' + Buffer.from('{BA{{1').toString('hex'));
    expect(() => cmd.code128('价格')).toThrow(/printable ASCII/);
  });

  it('size, bold, align, cut, Chinese mode, raster', () => {
    expect(hex(cmd.size(2, 2).bytes)).toBe('1d2111');
    expect(hex(cmd.size(1, 2).bytes)).toBe('1d2101');
    expect(hex(cmd.bold(true).bytes)).toBe('1b4501');
    expect(hex(cmd.align('right').bytes)).toBe('1b6102');
    expect(hex(cmd.cut(0).bytes)).toBe('1d564200');
    expect(hex(cmd.chineseOn().bytes)).toBe('1c26');
    expect(hex(cmd.raster(1, 2, Buffer.from([0xff, 0x81])).bytes)).toBe('1d7630000100020' + '0ff81');
    expect(() => cmd.size(9, 1)).toThrow(RangeError);
  });
});

describe('columns', () => {
  it('counts CJK and every other non-ASCII character as two columns', () => {
    expect(charColumns('a')).toBe(1);
    expect(charColumns('汉')).toBe(2);
    expect(charColumns('￥')).toBe(2);
    expect(columnsOf('可乐 Cola')).toBe(9);
  });

  it('wraps without splitting a wide character and prefers spaces', () => {
    expect(wrap('农夫山泉矿泉水', 5)).toEqual(['农夫', '山泉', '矿泉', '水']);
    expect(wrap('hello big world', 10)).toEqual(['hello big', 'world']);
    for (const line of wrap('可口可乐 Coca-Cola 330ml 超长商品名称测试', 11)) expect(columnsOf(line)).toBeLessThanOrEqual(11);
  });
});

const doc: ReceiptDocument = {
  receiptNo: 'R-1',
  kind: 'sale',
  openDrawer: true,
  blocks: [
    { kind: 'text', text: '便利店', align: 'center', bold: true, size: 'double' },
    { kind: 'row', cells: [{ text: '可乐', width: 5 }, { text: '2', width: 2, align: 'right' }, { text: '7.00', width: 3, align: 'right' }] },
    { kind: 'pair', left: '合计', right: '¥7.00', bold: true },
    { kind: 'rule' },
  ],
};

describe('receipt encoder', () => {
  it('starts with ESC @ and FS &, encodes text as GB18030, ends with the drawer kick and a cut', () => {
    const cmds = encodeReceiptCommands(doc, { width: 58 });
    expect(cmds.slice(0, 2).map((c) => c.name)).toEqual(['ESC @ (initialize)', 'FS & (Chinese mode on)']);
    const bytes = concatCommands(cmds);
    expect(bytes.includes(iconv.encode('便利店', 'gb18030'))).toBe(true);
    expect(hex(bytes).endsWith('1b7000' + '19fa' + '1d564200')).toBe(true);
  });

  it('prints "¥" as the fullwidth "￥" (GBK a3a4), never a code page switch', () => {
    const bytes = encodeText('¥7.00');
    expect(hex(bytes)).toBe('a3a4' + Buffer.from('7.00').toString('hex'));
  });

  it('aligns columns counting CJK as two: 32 columns on 58 mm, 48 on 80 mm', () => {
    for (const [width, cols] of [[58, 32], [80, 48]] as const) {
      const lines = jobLines(decodeEscPos(encodeReceipt(doc, { width })));
      const pair = lines.find((l) => l.startsWith('合计')) as string;
      expect(columnsOf(pair)).toBe(cols);
      expect(pair.endsWith('￥7.00')).toBe(true);
      const row = lines.find((l) => l.startsWith('可乐')) as string;
      expect(columnsOf(row)).toBe(cols);
      expect(lines).toContain('-'.repeat(cols));
    }
  });

  it('refuses a logo block without a logo and a bad document, and prints the logo when given', () => {
    const withLogo: ReceiptDocument = { ...doc, blocks: [{ kind: 'logo' }] };
    expect(() => encodeReceipt(withLogo, { width: 80 })).toThrow(/no logo/);
    const logo = wordmarkLogo('TILL');
    const items = decodeEscPos(encodeReceipt(withLogo, { width: 80, logo }));
    const img = items.find((i) => i.kind === 'image');
    expect(img && img.kind === 'image' && img.raster.data.equals(logo.data)).toBe(true);
    expect(() => encodeReceipt({ ...doc, blocks: [{ kind: 'qr', data: '' }] } as ReceiptDocument, { width: 80 })).toThrow(/receipt document/);
  });

  it('marks a reprint as a copy', () => {
    const lines = jobLines(decodeEscPos(encodeReceipt({ ...doc, copy: true }, { width: 80 })));
    expect(lines[0]).toContain('重印');
  });
});

describe('logo from a PNG', () => {
  it('turns dark opaque pixels into dots and refuses a logo wider than the paper or not a PNG', () => {
    const logo = loadLogo(path.join(import.meta.dirname, '../../fixtures/devices/logo.png'));
    expect([logo.width, logo.height]).toEqual([64, 32]);
    expect(getDot(logo, 4, 4)).toBe(true);
    expect(getDot(logo, 0, 0)).toBe(false);
    expect(getDot(logo, 20, 14)).toBe(false);
    expect(getDot(logo, 20, 12)).toBe(true);
    expect(() => loadLogo(path.join(import.meta.dirname, '../../fixtures/devices/logo.png'), 32)).toThrow(/at most 32/);
    expect(() => rasterFromPng(Buffer.from('GIF89a'))).toThrow(/not a readable PNG/);
  });
});
