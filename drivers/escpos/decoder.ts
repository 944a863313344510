/**
 * ESC/POS decoder: bytes -> what a printer would put on paper. It is a
 * streaming parser (push chunks, a command may span chunks) that keeps the
 * printer's modes (Chinese mode, code table, bold, size, alignment), turns
 * text into lines of styled spans, and reports QR codes, barcodes, raster
 * images, cuts and drawer pulses as items. Real-time requests (DLE EOT n,
 * GS r n, GS I n) go to a callback at once so a server can answer them.
 *
 * It never throws on input and never waits forever: a command it does not
 * know is reported by name and hex and skipped (its prefix only, as a printer
 * would), a payload larger than `maxPayload` is skipped without being stored,
 * a line without LF is broken after `maxLineBytes`, and after `maxItems` items
 * further items are counted, not kept. Text is GB18030 in Chinese mode (on at
 * power-up, as on printers sold in China; FS & / FS . switch it) and the ESC t
 * code table otherwise.
 */
import iconv from 'iconv-lite';
import { CR, DLE, ESC, FF, FS, GS, HT, LF, NUL, type Align } from './commands';
import { columnsOf } from './columns';
import { blankRaster, setDot, type Raster } from './raster';

export interface TextStyle {
  bold: boolean;
  underline: boolean;
  invert: boolean;
  /** character width and height multipliers (1-8) */
  width: number;
  height: number;
}
export interface TextSpan extends TextStyle {
  text: string;
}

export type DecodedItem =
  | { kind: 'line'; align: Align; spans: TextSpan[] }
  | { kind: 'qr'; align: Align; data: string; module: number }
  | { kind: 'barcode'; align: Align; symbology: string; data: string; hri: number; height: number }
  | { kind: 'image'; align: Align; raster: Raster; command: string }
  | { kind: 'feed'; lines: number }
  | { kind: 'cut'; partial: boolean }
  | { kind: 'drawer'; pin: 2 | 5; onMs: number; offMs: number; realtime: boolean }
  | { kind: 'unknown'; name: string; hex: string }
  | { kind: 'note'; text: string };

export type RealtimeRequest = { kind: 'dle-eot'; n: number } | { kind: 'gs-r'; n: number } | { kind: 'gs-i'; n: number };

export interface DecoderOptions {
  /** Chinese mode at power-up / after ESC @ (default true) */
  chineseDefault?: boolean;
  /** largest payload kept (raster, QR data, downloads); larger ones are skipped (default 1 MiB) */
  maxPayload?: number;
  /** items kept per decoder (default 20,000) */
  maxItems?: number;
  maxLineBytes?: number;
  onItem?: (item: DecodedItem) => void;
  onRealtime?: (req: RealtimeRequest) => void;
}

/** ESC t n -> iconv-lite encoding of the single-byte table */
const CODE_TABLES: Record<number, string> = {
  0: 'cp437', 2: 'cp850', 3: 'cp860', 4: 'cp863', 5: 'cp865', 11: 'cp851', 12: 'cp853', 13: 'cp857', 14: 'cp737',
  15: 'iso88597', 16: 'cp1252', 17: 'cp866', 18: 'cp852', 19: 'cp858', 34: 'cp855', 35: 'cp861', 36: 'cp862',
  37: 'cp864', 38: 'cp869', 39: 'iso88592', 40: 'iso885915', 44: 'cp1125', 45: 'cp1250', 46: 'cp1251', 47: 'cp1253',
  48: 'cp1254', 49: 'cp1255', 50: 'cp1256', 51: 'cp1257', 52: 'cp1258', 53: 'rk1048',
};

const BARCODES: Record<number, string> = {
  0: 'UPC-A', 1: 'UPC-E', 2: 'EAN13', 3: 'EAN8', 4: 'CODE39', 5: 'ITF', 6: 'CODABAR',
  65: 'UPC-A', 66: 'UPC-E', 67: 'EAN13', 68: 'EAN8', 69: 'CODE39', 70: 'ITF', 71: 'CODABAR', 72: 'CODE93',
  73: 'CODE128', 74: 'GS1-128', 75: 'GS1 DataBar Omnidirectional', 76: 'GS1 DataBar Truncated', 77: 'GS1 DataBar Limited',
  78: 'GS1 DataBar Expanded', 79: 'CODE128 auto',
};

const TWO_D: Record<number, string> = { 48: 'PDF417', 49: 'QR', 50: 'MaxiCode', 51: 'GS1 DataBar 2D', 52: 'Composite', 53: 'Aztec', 54: 'DataMatrix' };

/**
 * Parameter byte counts of the fixed-length commands this decoder accepts and
 * either applies (see apply*) or skips because they do not change what the
 * paper shows (spacing, margins, fonts, panel buttons).
 */
const ESC_FIXED: Record<number, number> = {
  0x20: 1, 0x21: 1, 0x24: 2, 0x25: 1, 0x2d: 1, 0x32: 0, 0x33: 1, 0x3c: 0, 0x3d: 1, 0x3f: 1, 0x40: 0, 0x42: 2, 0x45: 1,
  0x47: 1, 0x4a: 1, 0x4b: 1, 0x4c: 0, 0x4d: 1, 0x52: 1, 0x53: 0, 0x54: 1, 0x55: 1, 0x56: 1, 0x57: 8, 0x5c: 2, 0x61: 1,
  0x63: 2, 0x64: 1, 0x65: 1, 0x66: 2, 0x69: 0, 0x6d: 0, 0x70: 3, 0x72: 1, 0x74: 1, 0x75: 1, 0x76: 0, 0x7b: 1,
};
const GS_FIXED: Record<number, number> = {
  0x21: 1, 0x24: 2, 0x2f: 1, 0x3a: 0, 0x42: 1, 0x45: 1, 0x48: 1, 0x49: 1, 0x4c: 2, 0x50: 2, 0x54: 1, 0x57: 2, 0x5c: 2,
  0x5e: 3, 0x61: 1, 0x62: 1, 0x66: 1, 0x68: 1, 0x6a: 1, 0x72: 1, 0x77: 1, 0x7c: 1,
};
const FS_FIXED: Record<number, number> = { 0x21: 1, 0x26: 0, 0x2d: 1, 0x2e: 0, 0x32: 74, 0x3f: 2, 0x43: 1, 0x53: 2, 0x57: 1, 0x70: 2 };

const NAMES: Record<number, string> = { [ESC]: 'ESC', [GS]: 'GS', [FS]: 'FS', [DLE]: 'DLE' };

const INCOMPLETE = -1;

function hex(b: Uint8Array): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ');
}

function printable(code: number): string {
  return code >= 0x21 && code <= 0x7e ? String.fromCharCode(code) : `0x${code.toString(16).padStart(2, '0')}`;
}

export class EscPosDecoder {
  private buf: Buffer = Buffer.alloc(0);
  private skip = 0;
  private itemCount = 0;
  private dropped = 0;
  private readonly chineseDefault: boolean;
  private readonly maxPayload: number;
  private readonly maxItems: number;
  private readonly maxLineBytes: number;

  private chinese = true;
  private codeTable = 0;
  private align: Align = 'left';
  private style: TextStyle = { bold: false, underline: false, invert: false, width: 1, height: 1 };
  private spans: TextSpan[] = [];
  private pending: Buffer[] = [];
  private pendingLen = 0;
  private qrModule = 3;
  private qrData: Buffer | null = null;
  private twoD = new Map<number, Buffer>();
  private graphics: Raster | null = null;
  private hri = 0;
  private barHeight = 162;

  constructor(private readonly opts: DecoderOptions = {}) {
    this.chineseDefault = opts.chineseDefault ?? true;
    this.maxPayload = opts.maxPayload ?? 1 << 20;
    this.maxItems = opts.maxItems ?? 20_000;
    this.maxLineBytes = opts.maxLineBytes ?? 4096;
    this.reset();
  }

  /** bytes still waiting for the rest of their command */
  get buffered(): number {
    return this.buf.length;
  }

  push(chunk: Uint8Array): void {
    let data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.skip > 0) {
      const n = Math.min(this.skip, data.length);
      this.skip -= n;
      data = data.subarray(n);
      if (data.length === 0) return;
    }
    this.buf = this.buf.length ? Buffer.concat([this.buf, data]) : data;
    let i = 0;
    const b = this.buf;
    while (i < b.length) {
      const x = b[i] as number;
      if (x >= 0x20) {
        const limit = i + Math.max(1, this.maxLineBytes - this.pendingLen);
        let j = i + 1;
        while (j < b.length && j < limit && (b[j] as number) >= 0x20) j++;
        this.addText(b.subarray(i, j));
        i = j;
        continue;
      }
      const used = this.command(b, i);
      if (used === INCOMPLETE) break;
      i += used;
      if (this.skip > 0) {
        const over = Math.min(this.skip, b.length - i);
        this.skip -= over;
        i += over;
      }
    }
    this.buf = i >= b.length ? Buffer.alloc(0) : Buffer.from(b.subarray(i));
  }

  /** end of the stream: prints the pending line and reports an unfinished command */
  finish(): void {
    if (this.buf.length) {
      const head = this.buf.subarray(0, Math.min(8, this.buf.length));
      this.item({ kind: 'note', text: `stream ended inside a command (${hex(head)}${this.buf.length > 8 ? ' …' : ''}, ${this.buf.length} bytes)` });
      this.buf = Buffer.alloc(0);
    }
    if (this.skip > 0) {
      this.item({ kind: 'note', text: `stream ended ${this.skip} bytes before the end of a skipped payload` });
      this.skip = 0;
    }
    if (this.pendingLen || this.spans.length) this.endLine();
    if (this.dropped) {
      const n = this.dropped;
      this.dropped = 0;
      this.opts.onItem?.({ kind: 'note', text: `${n} more items were not kept` });
    }
  }

  private reset(): void {
    this.flushText();
    this.chinese = this.chineseDefault;
    this.codeTable = 0;
    this.align = 'left';
    this.style = { bold: false, underline: false, invert: false, width: 1, height: 1 };
    this.hri = 0;
    this.barHeight = 162;
  }

  private item(it: DecodedItem): void {
    if (this.itemCount >= this.maxItems) {
      this.dropped++;
      return;
    }
    this.itemCount++;
    this.opts.onItem?.(it);
  }

  private unknown(b: Buffer, i: number, len: number, name?: string): number {
    const bytes = b.subarray(i, i + len);
    const label = name ?? (NAMES[b[i] as number] ? `${NAMES[b[i] as number]} ${printable(b[i + 1] as number)}` : `control 0x${(b[i] as number).toString(16).padStart(2, '0')}`);
    this.flushText();
    this.item({ kind: 'unknown', name: label, hex: hex(bytes) });
    return len;
  }

  private addText(bytes: Buffer): void {
    this.pending.push(bytes);
    this.pendingLen += bytes.length;
    if (this.pendingLen >= this.maxLineBytes) this.endLine();
  }

  private decodeText(bytes: Buffer): string {
    if (this.chinese) return iconv.decode(bytes, 'gb18030');
    return iconv.decode(bytes, CODE_TABLES[this.codeTable] ?? 'cp437');
  }

  private flushText(): void {
    if (!this.pendingLen) return;
    const text = this.decodeText(Buffer.concat(this.pending));
    this.pending = [];
    this.pendingLen = 0;
    const last = this.spans[this.spans.length - 1];
    if (last && sameStyle(last, this.style)) last.text += text;
    else this.spans.push({ ...this.style, text });
  }

  private lineColumns(): number {
    this.flushText();
    return this.spans.reduce((n, s) => n + columnsOf(s.text) * s.width, 0);
  }

  private moveTo(col: number): void {
    const gap = col - this.lineColumns();
    if (gap > 0 && gap < 512) this.spans.push({ ...this.style, underline: false, invert: false, width: 1, height: 1, text: ' '.repeat(gap) });
  }

  private endLine(): void {
    this.flushText();
    this.item({ kind: 'line', align: this.align, spans: this.spans });
    this.spans = [];
  }

  private setStyle(s: Partial<TextStyle>): void {
    this.flushText();
    this.style = { ...this.style, ...s };
  }

  /** consumes one command at b[i] (a byte < 0x20); returns its length or INCOMPLETE */
  private command(b: Buffer, i: number): number {
    const x = b[i] as number;
    const avail = b.length - i;
    switch (x) {
      case LF:
        this.endLine();
        return 1;
      case CR:
      case NUL:
        return 1;
      case HT: {
        const col = this.lineColumns();
        this.moveTo((Math.floor(col / 8) + 1) * 8);
        return 1;
      }
      case FF:
        if (this.pendingLen || this.spans.length) this.endLine();
        return 1;
      case DLE:
        return this.dle(b, i, avail);
      case ESC:
        return this.esc(b, i, avail);
      case GS:
        return this.gs(b, i, avail);
      case FS:
        return this.fs(b, i, avail);
      default:
        return this.unknown(b, i, 1);
    }
  }

  /** a payload of `len` bytes after a header of `head` bytes: kept when small, skipped when too large */
  private payload(b: Buffer, i: number, avail: number, head: number, len: number, use: (p: Buffer) => void, name: string): number {
    if (len > this.maxPayload) {
      this.flushText();
      this.item({ kind: 'note', text: `${name}: ${len}-byte payload skipped (larger than ${this.maxPayload})` });
      this.skip = len;
      return head;
    }
    if (avail < head + len) return INCOMPLETE;
    use(b.subarray(i + head, i + head + len));
    return head + len;
  }

  private dle(b: Buffer, i: number, avail: number): number {
    if (avail < 2) return INCOMPLETE;
    const fn = b[i + 1] as number;
    if (fn === 0x04 || fn === 0x05) {
      if (avail < 3) return INCOMPLETE;
      if (fn === 0x04) this.opts.onRealtime?.({ kind: 'dle-eot', n: b[i + 2] as number });
      return 3;
    }
    if (fn === 0x14) {
      if (avail < 3) return INCOMPLETE;
      const sub = b[i + 2] as number;
      const len = sub === 8 ? 10 : sub === 7 ? 4 : 5;
      if (avail < len) return INCOMPLETE;
      if (sub === 1) {
        this.flushText();
        const t = Math.min(8, Math.max(1, b[i + 4] as number));
        this.item({ kind: 'drawer', pin: (b[i + 3] as number) === 1 ? 5 : 2, onMs: t * 100, offMs: t * 100, realtime: true });
      }
      return len;
    }
    return this.unknown(b, i, 2);
  }

  private esc(b: Buffer, i: number, avail: number): number {
    if (avail < 2) return INCOMPLETE;
    const op = b[i + 1] as number;
    if (op === 0x44) {
      // ESC D n1 .. nk NUL: tab stops
      const end = b.indexOf(0, i + 2);
      if (end < 0) return avail > 40 ? this.unknown(b, i, 2, 'ESC D (tab stops without NUL)') : INCOMPLETE;
      return end - i + 1;
    }
    if (op === 0x2a) return this.escBitImage(b, i, avail);
    if (op === 0x26) return this.escUserChars(b, i, avail);
    const n = ESC_FIXED[op];
    if (n === undefined) return this.unknown(b, i, 2);
    if (avail < 2 + n) return INCOMPLETE;
    const p = (k: number) => b[i + 2 + k] as number;
    switch (op) {
      case 0x40:
        this.reset();
        break;
      case 0x21:
        this.setStyle({ bold: (p(0) & 0x08) !== 0, height: p(0) & 0x10 ? 2 : 1, width: p(0) & 0x20 ? 2 : 1, underline: (p(0) & 0x80) !== 0 });
        break;
      case 0x45:
      case 0x47:
        this.setStyle({ bold: (p(0) & 1) === 1 });
        break;
      case 0x2d:
        this.setStyle({ underline: p(0) === 1 || p(0) === 2 || p(0) === 0x31 || p(0) === 0x32 });
        break;
      case 0x61:
        this.flushText();
        this.align = p(0) === 1 || p(0) === 0x31 ? 'center' : p(0) === 2 || p(0) === 0x32 ? 'right' : 'left';
        break;
      case 0x74:
        this.flushText();
        this.codeTable = p(0);
        break;
      case 0x64:
        if (this.pendingLen || this.spans.length) this.endLine();
        this.item({ kind: 'feed', lines: p(0) });
        break;
      case 0x24:
        this.moveTo(Math.round((p(0) + p(1) * 256) / 12));
        break;
      case 0x5c: {
        const d = (p(0) + p(1) * 256) << 16 >> 16;
        if (d > 0) this.moveTo(this.lineColumns() + Math.round(d / 12));
        break;
      }
      case 0x69:
      case 0x6d:
        this.cut(op === 0x6d);
        break;
      case 0x70:
        this.flushText();
        this.item({ kind: 'drawer', pin: (p(0) & 1) === 1 ? 5 : 2, onMs: p(1) * 2, offMs: p(2) * 2, realtime: false });
        break;
      default:
        break;
    }
    return 2 + n;
  }

  private cut(partial: boolean): void {
    if (this.pendingLen || this.spans.length) this.endLine();
    this.item({ kind: 'cut', partial });
  }

  /** ESC * m nL nH d1..dk: column-format bit image, 8 or 24 dots high */
  private escBitImage(b: Buffer, i: number, avail: number): number {
    if (avail < 5) return INCOMPLETE;
    const m = b[i + 2] as number;
    const cols = (b[i + 3] as number) + (b[i + 4] as number) * 256;
    const bytesPerCol = m === 32 || m === 33 ? 3 : m === 0 || m === 1 ? 1 : 0;
    if (!bytesPerCol) return this.unknown(b, i, 3, `ESC * mode ${m}`);
    return this.payload(b, i, avail, 5, cols * bytesPerCol, (data) => {
      const r = blankRaster(cols, bytesPerCol * 8);
      for (let c = 0; c < cols; c++) {
        for (let k = 0; k < bytesPerCol; k++) {
          const v = data[c * bytesPerCol + k] as number;
          for (let bit = 0; bit < 8; bit++) if ((v >> (7 - bit)) & 1) setDot(r, c, k * 8 + bit);
        }
      }
      this.image(r, 'ESC *');
    }, 'ESC *');
  }

  /** ESC & y c1 c2 [x d1..d(y*x)]...: user-defined characters (skipped) */
  private escUserChars(b: Buffer, i: number, avail: number): number {
    if (avail < 5) return INCOMPLETE;
    const y = b[i + 2] as number;
    const c1 = b[i + 3] as number;
    const c2 = b[i + 4] as number;
    if (c2 < c1 || y > 3) return this.unknown(b, i, 2, 'ESC & (bad user-defined characters)');
    let off = i + 5;
    for (let c = c1; c <= c2; c++) {
      if (off >= b.length) return INCOMPLETE;
      const xw = b[off] as number;
      off += 1 + y * xw;
      if (off > b.length) return INCOMPLETE;
    }
    return off - i;
  }

  private image(r: Raster, command: string): void {
    if (this.pendingLen || this.spans.length) this.endLine();
    this.item({ kind: 'image', align: this.align, raster: r, command });
  }

  private gs(b: Buffer, i: number, avail: number): number {
    if (avail < 2) return INCOMPLETE;
    const op = b[i + 1] as number;
    switch (op) {
      case 0x28:
        return this.gsParen(b, i, avail);
      case 0x38:
        return this.gs8L(b, i, avail);
      case 0x76:
        return this.gsRaster(b, i, avail);
      case 0x6b:
        return this.gsBarcode(b, i, avail);
      case 0x56: {
        if (avail < 3) return INCOMPLETE;
        const m = b[i + 2] as number;
        const withN = m >= 65;
        if (withN && avail < 4) return INCOMPLETE;
        this.cut(m === 1 || m === 49 || m === 66 || m === 98 || m === 104);
        return withN ? 4 : 3;
      }
      case 0x2a: {
        if (avail < 4) return INCOMPLETE;
        return this.payload(b, i, avail, 4, (b[i + 2] as number) * (b[i + 3] as number) * 8, () => undefined, 'GS * (downloaded image)');
      }
      default:
        break;
    }
    const n = GS_FIXED[op];
    if (n === undefined) return this.unknown(b, i, 2);
    if (avail < 2 + n) return INCOMPLETE;
    const p = (k: number) => b[i + 2 + k] as number;
    switch (op) {
      case 0x21:
        this.setStyle({ width: Math.min(8, (p(0) >> 4) + 1), height: Math.min(8, (p(0) & 0x0f) + 1) });
        break;
      case 0x42:
        this.setStyle({ invert: (p(0) & 1) === 1 });
        break;
      case 0x48:
        this.hri = p(0) & 0x03;
        break;
      case 0x68:
        this.barHeight = p(0);
        break;
      case 0x72:
        this.opts.onRealtime?.({ kind: 'gs-r', n: p(0) });
        break;
      case 0x49:
        this.opts.onRealtime?.({ kind: 'gs-i', n: p(0) });
        break;
      default:
        break;
    }
    return 2 + n;
  }

  /** GS v 0 m xL xH yL yH d1..dk */
  private gsRaster(b: Buffer, i: number, avail: number): number {
    if (avail < 3) return INCOMPLETE;
    if (b[i + 2] !== 0x30) return this.unknown(b, i, 3, `GS v ${printable(b[i + 2] as number)}`);
    if (avail < 8) return INCOMPLETE;
    const wb = (b[i + 4] as number) + (b[i + 5] as number) * 256;
    const h = (b[i + 6] as number) + (b[i + 7] as number) * 256;
    return this.payload(b, i, avail, 8, wb * h, (data) => this.image({ width: wb * 8, height: h, data: Buffer.from(data) }, 'GS v 0'), 'GS v 0');
  }

  /** GS k m ...: 1D barcodes (m 0-6: NUL-terminated; m 65-79: length-prefixed) */
  private gsBarcode(b: Buffer, i: number, avail: number): number {
    if (avail < 3) return INCOMPLETE;
    const m = b[i + 2] as number;
    const symbology = BARCODES[m];
    if (!symbology) return this.unknown(b, i, 3, `GS k ${m} (unknown barcode type)`);
    let data: Buffer;
    let len: number;
    if (m <= 6) {
      const end = b.indexOf(0, i + 3);
      if (end < 0) return avail > 260 ? this.unknown(b, i, 3, `GS k ${m} (no NUL terminator)`) : INCOMPLETE;
      data = b.subarray(i + 3, end);
      len = end - i + 1;
    } else {
      if (avail < 4) return INCOMPLETE;
      const n = b[i + 3] as number;
      if (avail < 4 + n) return INCOMPLETE;
      data = b.subarray(i + 4, i + 4 + n);
      len = 4 + n;
    }
    this.flushText();
    if (this.pendingLen || this.spans.length) this.endLine();
    this.item({ kind: 'barcode', align: this.align, symbology, data: m === 73 || m === 74 ? code128Text(data) : data.toString('latin1'), hri: this.hri, height: this.barHeight });
    return len;
  }

  /** GS ( X pL pH ...: k = 2D codes, L = graphics; other functions are skipped by length */
  private gsParen(b: Buffer, i: number, avail: number): number {
    if (avail < 5) return INCOMPLETE;
    const letter = b[i + 2] as number;
    const len = (b[i + 3] as number) + (b[i + 4] as number) * 256;
    return this.payload(b, i, avail, 5, len, (p) => {
      if (letter === 0x6b) this.twoDCode(p);
      else if (letter === 0x4c) this.graphicsFn(p);
    }, `GS ( ${printable(letter)}`);
  }

  /** GS 8 L p1 p2 p3 p4 m fn ...: graphics with a 32-bit length */
  private gs8L(b: Buffer, i: number, avail: number): number {
    if (avail < 3) return INCOMPLETE;
    if (b[i + 2] !== 0x4c) return this.unknown(b, i, 3, `GS 8 ${printable(b[i + 2] as number)}`);
    if (avail < 7) return INCOMPLETE;
    const len = ((b[i + 3] as number) | ((b[i + 4] as number) << 8) | ((b[i + 5] as number) << 16)) + (b[i + 6] as number) * 0x1000000;
    return this.payload(b, i, avail, 7, len, (p) => this.graphicsFn(p), 'GS 8 L');
  }

  /** graphics function body (m fn ...): fn 112 stores a raster in the print buffer, fn 50 prints it */
  private graphicsFn(p: Buffer): void {
    const fn = p[1];
    if (fn === 112 && p.length >= 10) {
      const w = (p[6] as number) + (p[7] as number) * 256;
      const h = (p[8] as number) + (p[9] as number) * 256;
      const wb = Math.ceil(w / 8);
      const data = p.subarray(10, 10 + wb * h);
      if (data.length === wb * h) {
        const r = blankRaster(wb * 8, h);
        data.copy(r.data);
        this.graphics = r;
      }
    } else if (fn === 50 || fn === 2) {
      if (this.graphics) this.image(this.graphics, 'GS ( L');
      this.graphics = null;
    }
  }

  private twoDCode(p: Buffer): void {
    const cn = p[0] as number;
    const fn = p[1] as number;
    const name = TWO_D[cn] ?? `2D code ${cn}`;
    if (cn === 49 && fn === 67) this.qrModule = p[2] ?? 3;
    if (fn === 80) {
      const data = Buffer.from(p.subarray(3));
      if (cn === 49) this.qrData = data;
      else this.twoD.set(cn, data);
    }
    if (fn === 81) {
      this.flushText();
      if (this.pendingLen || this.spans.length) this.endLine();
      if (cn === 49) {
        if (this.qrData) this.item({ kind: 'qr', align: this.align, data: bytesToText(this.qrData), module: this.qrModule });
        else this.item({ kind: 'note', text: 'QR print without stored data' });
      } else {
        const d = this.twoD.get(cn);
        this.item({ kind: 'barcode', align: this.align, symbology: name, data: d ? bytesToText(d) : '', hri: 0, height: 0 });
      }
    }
  }

  private fs(b: Buffer, i: number, avail: number): number {
    if (avail < 2) return INCOMPLETE;
    const op = b[i + 1] as number;
    if (op === 0x28) {
      if (avail < 5) return INCOMPLETE;
      const len = (b[i + 3] as number) + (b[i + 4] as number) * 256;
      return this.payload(b, i, avail, 5, len, () => undefined, `FS ( ${printable(b[i + 2] as number)}`);
    }
    if (op === 0x71) return this.fsNvImages(b, i, avail);
    const n = FS_FIXED[op];
    if (n === undefined) return this.unknown(b, i, 2);
    if (avail < 2 + n) return INCOMPLETE;
    const p = (k: number) => b[i + 2 + k] as number;
    switch (op) {
      case 0x26:
        this.flushText();
        this.chinese = true;
        break;
      case 0x2e:
        this.flushText();
        this.chinese = false;
        break;
      case 0x21:
        if (this.chinese) this.setStyle({ width: p(0) & 0x04 ? 2 : 1, height: p(0) & 0x08 ? 2 : 1, underline: (p(0) & 0x80) !== 0 });
        break;
      case 0x57:
        if (this.chinese) this.setStyle({ width: p(0) & 1 ? 2 : 1, height: p(0) & 1 ? 2 : 1 });
        break;
      case 0x70:
        this.flushText();
        this.item({ kind: 'note', text: `NV image ${p(0)} printed (stored in the printer; not shown)` });
        break;
      default:
        break;
    }
    return 2 + n;
  }

  /** FS q n [xL xH yL yH d1..dk]...: define NV images (skipped) */
  private fsNvImages(b: Buffer, i: number, avail: number): number {
    if (avail < 3) return INCOMPLETE;
    let off = i + 3;
    for (let k = 0; k < (b[i + 2] as number); k++) {
      if (off + 4 > b.length) return INCOMPLETE;
      const size = ((b[off] as number) + (b[off + 1] as number) * 256) * ((b[off + 2] as number) + (b[off + 3] as number) * 256) * 8;
      if (size > this.maxPayload) {
        this.item({ kind: 'note', text: 'FS q: NV image too large, skipped' });
        this.skip = size;
        return off + 4 - i;
      }
      off += 4 + size;
      if (off > b.length) return INCOMPLETE;
    }
    return off - i;
  }
}

function sameStyle(a: TextStyle, b: TextStyle): boolean {
  return a.bold === b.bold && a.underline === b.underline && a.invert === b.invert && a.width === b.width && a.height === b.height;
}

function bytesToText(b: Buffer): string {
  const utf8 = b.toString('utf8');
  return utf8.includes('\ufffd') ? iconv.decode(b, 'gb18030') : utf8;
}

/** CODE128 data with code-set selectors ({A {B {C, {{ = '{', {1-{4 = FNC) back to its text */
export function code128Text(d: Buffer): string {
  let out = '';
  let set: 'A' | 'B' | 'C' = 'B';
  for (let k = 0; k < d.length; k++) {
    const c = d[k] as number;
    if (c === 0x7b && k + 1 < d.length) {
      const s = String.fromCharCode(d[k + 1] as number);
      k++;
      if (s === 'A' || s === 'B' || s === 'C') set = s;
      else if (s === '{') out += '{';
      continue;
    }
    out += set === 'C' ? String(c).padStart(2, '0') : String.fromCharCode(c);
  }
  return out;
}

/** decodes a whole stream at once */
export function decodeEscPos(bytes: Uint8Array, opts: Omit<DecoderOptions, 'onItem'> = {}): DecodedItem[] {
  const items: DecodedItem[] = [];
  const d = new EscPosDecoder({ ...opts, onItem: (it) => items.push(it) });
  d.push(bytes);
  d.finish();
  return items;
}
