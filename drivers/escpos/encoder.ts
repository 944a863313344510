/**
 * ReceiptDocument -> ESC/POS. The document is laid out as command objects
 * (see commands.ts), then concatenated. Text is GB18030 with the printer in
 * Chinese mode (FS &), so ASCII is one byte and one column and everything else
 * is a full-width glyph of two columns (columns.ts). "¥" (U+00A5) has no
 * two-byte GB code and many printers lack the four-byte font, so it is printed
 * as the fullwidth "￥" (GBK A3A4).
 */
import iconv from 'iconv-lite';
import { receiptDocumentSchema, type ReceiptBlock, type ReceiptDocument } from '../../src/shared/receipt';
import { TillError } from '../../src/shared/errors';
import { cmd, concatCommands, type Align, type EscPosCommand } from './commands';
import { columnsOf, pad, wrap } from './columns';
import type { Raster } from './raster';

export type PaperWidth = 58 | 80;

/** characters per line in Font A (12 dots) and printable dots */
export const PAPER: Record<PaperWidth, { cols: number; dots: number }> = {
  58: { cols: 32, dots: 384 },
  80: { cols: 48, dots: 576 },
};

export interface EncodeOptions {
  width: PaperWidth;
  /** printed where the document has a logo block; without it the logo block is refused */
  logo?: Raster;
  /** drawer pin and pulse (ESC p m t1 t2); default pin 2, 25 / 250 (50 / 500 ms) */
  drawer?: { pin: 2 | 5; onUnits: number; offUnits: number };
  /** text printed at the top of a reprint */
  copyBanner?: string;
}

export function encodeText(text: string): Buffer {
  return iconv.encode(text.replace(/\u00a5/g, '\uffe5'), 'gb18030');
}

const sizeOf = (s: 'normal' | 'double' | 'tall' | 'wide' | undefined): [number, number] =>
  s === 'double' ? [2, 2] : s === 'tall' ? [1, 2] : s === 'wide' ? [2, 1] : [1, 1];

class Layout {
  readonly out: EscPosCommand[] = [];
  private align: Align = 'left';
  private boldOn = false;
  private size: [number, number] = [1, 1];

  constructor(readonly cols: number) {}

  setAlign(a: Align): void {
    if (a !== this.align) this.out.push(cmd.align(a));
    this.align = a;
  }

  setBold(b: boolean): void {
    if (b !== this.boldOn) this.out.push(cmd.bold(b));
    this.boldOn = b;
  }

  setSize(s: [number, number]): void {
    if (s[0] !== this.size[0] || s[1] !== this.size[1]) this.out.push(cmd.size(s[0], s[1]));
    this.size = s;
  }

  line(text: string): void {
    if (text.length) this.out.push(cmd.text(encodeText(text), text));
    this.out.push(cmd.lf());
  }

  reset(): void {
    this.setAlign('left');
    this.setBold(false);
    this.setSize([1, 1]);
  }
}

function rowLines(block: Extract<ReceiptBlock, { kind: 'row' }>, cols: number): string[] {
  const total = block.cells.reduce((s, c) => s + c.width, 0);
  const widths = block.cells.map((c) => Math.floor((c.width * cols) / total));
  const used = widths.reduce((s, w) => s + w, 0);
  widths[widths.length - 1] = (widths[widths.length - 1] as number) + (cols - used);
  const wrapped = block.cells.map((cell, i) => {
    const last = i === block.cells.length - 1;
    const w = Math.max(2, (widths[i] as number) - (last ? 0 : 1));
    return { lines: wrap(cell.text, w), w, gap: last ? 0 : 1, align: cell.align ?? 'left' };
  });
  const height = Math.max(...wrapped.map((c) => c.lines.length));
  const lines: string[] = [];
  for (let i = 0; i < height; i++) {
    lines.push(wrapped.map((c) => pad(c.lines[i] ?? '', c.w, c.align) + ' '.repeat(c.gap)).join('').trimEnd());
  }
  return lines;
}

function encodeBlock(b: ReceiptBlock, l: Layout, opts: EncodeOptions): void {
  switch (b.kind) {
    case 'logo': {
      if (!opts.logo) throw new TillError('config-invalid', 'the receipt has a logo block but no logo is configured');
      const maxDots = PAPER[opts.width].dots;
      if (opts.logo.width > maxDots) throw new TillError('config-invalid', `the logo is ${opts.logo.width} dots wide; ${opts.width} mm paper prints ${maxDots}`);
      l.setAlign('center');
      l.out.push(cmd.raster(opts.logo.width / 8, opts.logo.height, opts.logo.data));
      return;
    }
    case 'text': {
      const size = sizeOf(b.size);
      l.setAlign(b.align ?? 'left');
      l.setBold(b.bold ?? false);
      l.setSize(size);
      for (const line of wrap(b.text, Math.floor(l.cols / size[0]))) l.line(line);
      return;
    }
    case 'pair': {
      const size = sizeOf(b.size);
      const cols = Math.floor(l.cols / size[0]);
      l.setAlign('left');
      l.setBold(b.bold ?? false);
      l.setSize(size);
      const w = columnsOf(b.left) + 1 + columnsOf(b.right);
      if (w <= cols) {
        l.line(b.left + ' '.repeat(cols - columnsOf(b.left) - columnsOf(b.right)) + b.right);
      } else {
        for (const line of wrap(b.left, cols)) l.line(line);
        for (const line of wrap(b.right, cols)) l.line(pad(line, cols, 'right'));
      }
      return;
    }
    case 'row': {
      l.setAlign('left');
      l.setBold(b.bold ?? false);
      l.setSize([1, 1]);
      for (const line of rowLines(b, l.cols)) l.line(line);
      return;
    }
    case 'rule':
      l.setAlign('left');
      l.setBold(false);
      l.setSize([1, 1]);
      l.line((b.char ?? '-').repeat(l.cols));
      return;
    case 'qr':
      l.setAlign('center');
      l.out.push(cmd.qrModel(), cmd.qrSize(b.size ?? (opts.width === 58 ? 5 : 6)), cmd.qrEcc('M'), cmd.qrStore(Buffer.from(b.data, 'utf8')), cmd.qrPrint());
      l.out.push(cmd.lf());
      return;
    case 'barcode': {
      l.setAlign('center');
      let c128: EscPosCommand;
      try {
        c128 = cmd.code128(b.data);
      } catch (e) {
        throw new TillError('bad-input', e instanceof Error ? e.message : String(e));
      }
      l.out.push(cmd.barcodeHri(2), cmd.barcodeHeight(64), cmd.barcodeWidth(2), c128, cmd.lf());
      return;
    }
    case 'feed':
      l.out.push(cmd.feed(b.lines));
      return;
  }
}

/** the document as commands; throws bad-input / config-invalid (never a half receipt) */
export function encodeReceiptCommands(doc: ReceiptDocument, opts: EncodeOptions): EscPosCommand[] {
  const parsed = receiptDocumentSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new TillError('bad-input', `receipt document: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
  }
  const l = new Layout(PAPER[opts.width].cols);
  l.out.push(cmd.init(), cmd.chineseOn(), cmd.defaultLineSpacing());
  if (doc.copy) {
    l.setAlign('center');
    l.setBold(true);
    l.line(opts.copyBanner ?? '** 重印 REPRINT **');
    l.reset();
  }
  for (const b of doc.blocks) encodeBlock(b, l, opts);
  l.reset();
  l.out.push(cmd.feed(4));
  if (doc.openDrawer) {
    const d = opts.drawer ?? { pin: 2, onUnits: 25, offUnits: 250 };
    l.out.push(cmd.drawerKick(d.pin, d.onUnits, d.offUnits));
  }
  l.out.push(cmd.cut(0));
  return l.out;
}

export function encodeReceipt(doc: ReceiptDocument, opts: EncodeOptions): Buffer {
  return concatCommands(encodeReceiptCommands(doc, opts));
}
