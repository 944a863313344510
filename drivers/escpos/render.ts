/**
 * A decoded job as the customer would see it: plain text (one printed line per
 * line, aligned within the paper's columns, with [bracketed] markers for codes,
 * images, cuts, drawer pulses and unknown commands) and a PNG picture drawn at
 * the printer's resolution with the built-in 12x24 font. ASCII is drawn with
 * real glyphs; full-width (CJK) characters come from an installed TrueType font
 * through the small rasterizer in truetype.ts, and are drawn as crossed boxes
 * of their size when no such font is installed or it lacks the glyph. QR codes
 * are drawn module by module (qrcode package), CODE128 bar by bar (code set B,
 * see code128.ts), other 1D and 2D symbologies as a labelled frame with their
 * text.
 */
import { PNG } from 'pngjs';
import QRCode from 'qrcode';
import { code128Widths } from './code128';
import { columnsOf, pad } from './columns';
import type { DecodedItem, TextSpan } from './decoder';
import { asciiGlyph, GLYPH_H, GLYPH_W } from './font';
import { getDot } from './raster';
import type { TrueTypeFont } from './truetype';

export function itemText(it: DecodedItem, cols: number): string[] {
  switch (it.kind) {
    case 'line': {
      const text = it.spans.map((s) => s.text).join('');
      const w = it.spans.reduce((n, s) => n + columnsOf(s.text) * s.width, 0);
      if (w >= cols || it.align === 'left') return [text.trimEnd()];
      const gap = cols - w;
      return [(' '.repeat(it.align === 'center' ? Math.floor(gap / 2) : gap) + text).trimEnd()];
    }
    case 'qr':
      return [pad(`[QR ${it.data}]`, cols, it.align).trimEnd()];
    case 'barcode':
      return [pad(`[${it.symbology} ${it.data}]`, cols, it.align).trimEnd()];
    case 'image':
      return [pad(`[IMAGE ${it.raster.width}x${it.raster.height} ${it.command}]`, cols, it.align).trimEnd()];
    case 'feed':
      return Array.from({ length: Math.min(it.lines, 10) }, () => '');
    case 'cut':
      return [it.partial ? '[CUT partial]' : '[CUT]'];
    case 'drawer':
      return [`[DRAWER KICK pin ${it.pin} ${it.onMs}/${it.offMs} ms${it.realtime ? ' real-time' : ''}]`];
    case 'unknown':
      return [`[UNKNOWN ${it.name} (${it.hex})]`];
    case 'note':
      return [`[NOTE ${it.text}]`];
  }
}

export function jobToText(items: readonly DecodedItem[], cols: number): string {
  return items.flatMap((it) => itemText(it, cols)).join('\n') + '\n';
}

/** the printed text only (lines), for comparing what was meant with what came out */
export function jobLines(items: readonly DecodedItem[]): string[] {
  return items.filter((it): it is Extract<DecodedItem, { kind: 'line' }> => it.kind === 'line').map((it) => it.spans.map((s) => s.text).join(''));
}

const LINE_GAP = 6;
const MARGIN = 8;

/** a growable 1-byte-per-dot page (1 = black) */
class Canvas {
  private buf: Uint8Array;
  height = 0;
  constructor(readonly width: number) {
    this.buf = new Uint8Array(width * 1024);
  }
  ensure(h: number): void {
    if (h <= this.height) return;
    if (h * this.width > this.buf.length) {
      const next = new Uint8Array(Math.max(h * this.width, this.buf.length * 2));
      next.set(this.buf);
      this.buf = next;
    }
    this.height = h;
  }
  dot(x: number, y: number, v = 1): void {
    if (x < 0 || x >= this.width || y < 0) return;
    if (y >= this.height) this.ensure(y + 1);
    this.buf[y * this.width + x] = v;
  }
  rect(x: number, y: number, w: number, h: number, v = 1): void {
    for (let yy = y; yy < y + h; yy++) for (let xx = x; xx < x + w; xx++) this.dot(xx, yy, v);
  }
  /** grayscale pixels, 0 = black, 255 = white */
  gray(): Buffer {
    const out = Buffer.alloc(this.width * this.height, 255);
    for (let i = 0; i < out.length; i++) if (this.buf[i]) out[i] = 0;
    return out;
  }
}

function drawChar(c: Canvas, ch: string, x: number, y: number, s: TextSpan, font: TrueTypeFont | null): number {
  const wide = columnsOf(ch) === 2;
  const cw = (wide ? GLYPH_W * 2 : GLYPH_W) * s.width;
  const ch_ = GLYPH_H * s.height;
  const ink = s.invert ? 0 : 1;
  if (s.invert) c.rect(x, y, cw, ch_, 1);
  const g = wide && font ? font.glyph(ch, GLYPH_H) : null;
  if (g) {
    for (let gy = 0; gy < g.height; gy++) {
      for (let gx = 0; gx < g.width; gx++) {
        if (!g.dots[gy * g.width + gx]) continue;
        for (let dy = 0; dy < s.height; dy++) {
          for (let dx = 0; dx < s.width; dx++) {
            c.dot(x + gx * s.width + dx, y + gy * s.height + dy, ink);
            if (s.bold) c.dot(x + gx * s.width + dx + 1, y + gy * s.height + dy, ink);
          }
        }
      }
    }
  } else if (wide) {
    const bx = x + 2 * s.width;
    const by = y + 2 * s.height;
    const bw = cw - 4 * s.width;
    const bh = ch_ - 4 * s.height;
    for (let k = 0; k < bw; k++) {
      c.dot(bx + k, by, ink);
      c.dot(bx + k, by + bh - 1, ink);
      c.dot(bx + k, by + Math.floor((k * bh) / bw), ink);
    }
    for (let k = 0; k < bh; k++) {
      c.dot(bx, by + k, ink);
      c.dot(bx + bw - 1, by + k, ink);
    }
  } else {
    const rows = asciiGlyph(ch.charCodeAt(0)) ?? asciiGlyph(0x3f);
    rows?.forEach((bits, gy) => {
      for (let gx = 0; gx < GLYPH_W; gx++) {
        if (!((bits >> (GLYPH_W - 1 - gx)) & 1)) continue;
        for (let dy = 0; dy < s.height; dy++) {
          for (let dx = 0; dx < s.width; dx++) {
            c.dot(x + gx * s.width + dx, y + gy * s.height + dy, ink);
            if (s.bold) c.dot(x + gx * s.width + dx + 1, y + gy * s.height + dy, ink);
          }
        }
      }
    });
  }
  if (s.underline) c.rect(x, y + ch_ - 1, cw, 1, ink);
  return cw;
}

function alignX(width: number, content: number, align: 'left' | 'center' | 'right'): number {
  if (align === 'center') return Math.max(0, Math.floor((width - content) / 2));
  if (align === 'right') return Math.max(0, width - content);
  return 0;
}

/**
 * the receipt as a PNG, `cols` x 12 dots wide plus margins; full-width
 * characters come from `font` (see truetype.ts) or are drawn as crossed boxes
 */
export function jobToPng(items: readonly DecodedItem[], cols: number, font: TrueTypeFont | null = null): Buffer {
  const paper = cols * GLYPH_W;
  const c = new Canvas(paper + MARGIN * 2);
  let y = MARGIN;
  const textLine = (text: string, align: 'left' | 'center' | 'right' = 'left') => {
    const s: TextSpan = { text, bold: false, underline: false, invert: false, width: 1, height: 1 };
    let x = MARGIN + alignX(paper, columnsOf(text) * GLYPH_W, align);
    for (const ch of text) x += drawChar(c, ch, x, y, s, font);
    y += GLYPH_H + LINE_GAP;
  };
  for (const it of items) {
    switch (it.kind) {
      case 'line': {
        const height = Math.max(1, ...it.spans.map((s) => s.height)) * GLYPH_H;
        const width = it.spans.reduce((n, s) => n + columnsOf(s.text) * s.width * GLYPH_W, 0);
        let x = MARGIN + alignX(paper, width, it.align);
        for (const s of it.spans) {
          for (const ch of s.text) {
            if (x + columnsOf(ch) * GLYPH_W * s.width > MARGIN + paper) {
              x = MARGIN;
              y += height + LINE_GAP;
            }
            x += drawChar(c, ch, x, y + height - GLYPH_H * s.height, s, font);
          }
        }
        y += height + LINE_GAP;
        break;
      }
      case 'qr': {
        let modules: { size: number; data: Uint8Array };
        try {
          modules = QRCode.create(it.data, { errorCorrectionLevel: 'M' }).modules;
        } catch {
          textLine(`[QR ${it.data}]`, it.align);
          break;
        }
        const m = Math.max(1, Math.min(16, it.module));
        const w = modules.size * m;
        const x0 = MARGIN + alignX(paper, w, it.align);
        for (let r = 0; r < modules.size; r++) for (let k = 0; k < modules.size; k++) if (modules.data[r * modules.size + k]) c.rect(x0 + k * m, y + r * m, m, m);
        y += w + LINE_GAP;
        break;
      }
      case 'barcode': {
        const hriAbove = it.hri === 1 || it.hri === 3;
        const hriBelow = it.hri === 2 || it.hri === 3;
        let widths: number[] | null = null;
        if (it.symbology.startsWith('CODE128') || it.symbology === 'GS1-128') {
          try {
            widths = code128Widths(it.data);
          } catch {
            widths = null;
          }
        }
        const module = 2;
        const total = widths ? widths.reduce((a, b) => a + b, 0) * module : 0;
        if (widths && total <= paper) {
          if (hriAbove) textLine(it.data, it.align);
          const h = Math.max(16, Math.min(255, it.height || 64));
          let x = MARGIN + alignX(paper, total, it.align);
          widths.forEach((w, i) => {
            if (i % 2 === 0) c.rect(x, y, w * module, h);
            x += w * module;
          });
          y += h + 4;
          if (hriBelow) textLine(it.data, it.align);
          break;
        }
        const label = it.symbology;
        const w = Math.min(paper, Math.max(columnsOf(it.data), label.length + 2) * GLYPH_W + 16);
        const x0 = MARGIN + alignX(paper, w, it.align);
        const h = GLYPH_H + 16;
        c.rect(x0, y, w, 2);
        c.rect(x0, y + h - 2, w, 2);
        c.rect(x0, y, 2, h);
        c.rect(x0 + w - 2, y, 2, h);
        const s: TextSpan = { text: label, bold: false, underline: false, invert: false, width: 1, height: 1 };
        let x = x0 + 8;
        for (const ch of label) x += drawChar(c, ch, x, y + 8, s, null);
        y += h + 2;
        textLine(it.data, it.align);
        break;
      }
      case 'image': {
        const x0 = MARGIN + alignX(paper, it.raster.width, it.align);
        for (let r = 0; r < it.raster.height; r++) for (let k = 0; k < it.raster.width; k++) if (getDot(it.raster, k, r)) c.dot(x0 + k, y + r);
        y += it.raster.height + LINE_GAP;
        break;
      }
      case 'feed':
        y += Math.min(it.lines, 10) * (GLYPH_H + LINE_GAP);
        break;
      case 'cut':
        for (let x = 0; x < c.width; x += 8) c.rect(x, y + 4, 4, 1);
        y += 12;
        break;
      default:
        for (const line of itemText(it, cols)) textLine(line);
    }
  }
  c.ensure(y + MARGIN);
  const png = new PNG({ width: c.width, height: c.height, colorType: 0, inputColorType: 0, inputHasAlpha: false });
  png.data = c.gray();
  return PNG.sync.write(png, { colorType: 0, inputColorType: 0, inputHasAlpha: false, deflateLevel: 6, filterType: 2 });
}
