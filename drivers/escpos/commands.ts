/**
 * ESC/POS commands as inspectable objects: each has a readable name and its
 * exact bytes, so the encoder's output can be listed, tested byte for byte
 * and explained. Byte values follow Epson's ESC/POS reference; the Chinese
 * mode commands (FS &, FS .) are those of Chinese printers (Xprinter, Gprinter,
 * HPRT, Sprt, Rongta) and of Epson's Chinese models.
 */

/** control bytes */
export const NUL = 0x00;
export const HT = 0x09;
export const LF = 0x0a;
export const FF = 0x0c;
export const CR = 0x0d;
export const DLE = 0x10;
export const EOT = 0x04;
export const ESC = 0x1b;
export const FS = 0x1c;
export const GS = 0x1d;
export const US = 0x1f;

export interface EscPosCommand {
  /** e.g. 'ESC a 1 (align center)' */
  name: string;
  bytes: Buffer;
}

const c = (name: string, bytes: number[] | Buffer): EscPosCommand => ({ name, bytes: Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes) });
const byte = (n: number, what: string, lo = 0, hi = 255): number => {
  if (!Number.isInteger(n) || n < lo || n > hi) throw new RangeError(`${what} must be an integer ${lo}-${hi}, got ${n}`);
  return n;
};

export type Align = 'left' | 'center' | 'right';
const ALIGN: Record<Align, number> = { left: 0, center: 1, right: 2 };

/** QR error correction levels for GS ( k <fn 69>: 48 L (7%), 49 M (15%), 50 Q (25%), 51 H (30%) */
export const QR_ECC = { L: 48, M: 49, Q: 50, H: 51 } as const;

export const cmd = {
  /** ESC @: clear the buffer and reset every mode */
  init: () => c('ESC @ (initialize)', [ESC, 0x40]),
  /** FS &: Chinese character mode on: bytes >= 0x81 are GB18030/GBK double-byte characters */
  chineseOn: () => c('FS & (Chinese mode on)', [FS, 0x26]),
  /** FS .: Chinese character mode off (single-byte code page) */
  chineseOff: () => c('FS . (Chinese mode off)', [FS, 0x2e]),
  /** ESC t n: single-byte code table (0 = PC437) */
  codePage: (n: number) => c(`ESC t ${n} (code table)`, [ESC, 0x74, byte(n, 'code table')]),
  /** ESC 2: default line spacing (about 1/6 inch) */
  defaultLineSpacing: () => c('ESC 2 (default line spacing)', [ESC, 0x32]),
  /** ESC a n: justification 0 left, 1 center, 2 right */
  align: (a: Align) => c(`ESC a ${ALIGN[a]} (align ${a})`, [ESC, 0x61, ALIGN[a]]),
  /** ESC E n: emphasized (bold) on/off */
  bold: (on: boolean) => c(`ESC E ${on ? 1 : 0} (bold ${on ? 'on' : 'off'})`, [ESC, 0x45, on ? 1 : 0]),
  /** GS ! n: character size; high nibble = width - 1, low nibble = height - 1 (1-8 each) */
  size: (width: number, height: number) => {
    const n = ((byte(width, 'width', 1, 8) - 1) << 4) | (byte(height, 'height', 1, 8) - 1);
    return c(`GS ! 0x${n.toString(16).padStart(2, '0')} (size ${width}x${height})`, [GS, 0x21, n]);
  },
  /** LF: print the line buffer and feed one line */
  lf: () => c('LF', [LF]),
  /** ESC d n: print and feed n lines */
  feed: (lines: number) => c(`ESC d ${lines} (feed ${lines} lines)`, [ESC, 0x64, byte(lines, 'lines')]),
  /** already-encoded text bytes */
  text: (bytes: Buffer, shown: string) => c(`text "${shown}"`, bytes),
  /** GS V 66 n: feed n dots, then partial cut (function B) */
  cut: (feedDots = 0) => c(`GS V 66 ${feedDots} (feed and cut)`, [GS, 0x56, 0x42, byte(feedDots, 'feed')]),
  /**
   * ESC p m t1 t2: drawer kick pulse on connector pin 2 (m=0) or pin 5 (m=1),
   * on for t1 x 2 ms and off for t2 x 2 ms. 25/250 = 50 ms on, 500 ms off, which
   * every common solenoid drawer accepts.
   */
  drawerKick: (pin: 2 | 5 = 2, onUnits = 25, offUnits = 250) =>
    c(`ESC p ${pin === 2 ? 0 : 1} ${onUnits} ${offUnits} (drawer kick pin ${pin}, ${onUnits * 2}/${offUnits * 2} ms)`, [
      ESC,
      0x70,
      pin === 2 ? 0 : 1,
      byte(onUnits, 'on time'),
      byte(offUnits, 'off time'),
    ]),
  /** DLE DC4 1 m t: real-time drawer pulse (works while the printer is offline), t x 100 ms */
  drawerKickRealtime: (pin: 2 | 5 = 2, t = 1) =>
    c(`DLE DC4 1 ${pin === 2 ? 0 : 1} ${t} (real-time drawer pulse)`, [DLE, 0x14, 1, pin === 2 ? 0 : 1, byte(t, 'pulse', 1, 8)]),
  /** DLE EOT n: real-time status; 1 printer, 2 offline cause, 3 error cause, 4 paper sensor */
  status: (n: 1 | 2 | 3 | 4) => c(`DLE EOT ${n} (status ${n})`, [DLE, EOT, n]),
  /** GS ( k, cn 49 (QR) fn 65: model 2 */
  qrModel: () => c('GS ( k QR model 2', [GS, 0x28, 0x6b, 4, 0, 49, 65, 50, 0]),
  /** GS ( k fn 67: module size in dots (1-16) */
  qrSize: (dots: number) => c(`GS ( k QR module ${dots}`, [GS, 0x28, 0x6b, 3, 0, 49, 67, byte(dots, 'QR module size', 1, 16)]),
  /** GS ( k fn 69: error correction */
  qrEcc: (level: keyof typeof QR_ECC) => c(`GS ( k QR error correction ${level}`, [GS, 0x28, 0x6b, 3, 0, 49, 69, QR_ECC[level]]),
  /** GS ( k fn 80: store data (pL pH = data length + 3) */
  qrStore: (data: Buffer) => {
    const len = data.length + 3;
    if (len > 0xffff) throw new RangeError('QR data too long');
    return c(`GS ( k QR store ${data.length} bytes`, Buffer.concat([Buffer.from([GS, 0x28, 0x6b, len & 0xff, len >> 8, 49, 80, 48]), data]));
  },
  /** GS ( k fn 81: print the stored symbol */
  qrPrint: () => c('GS ( k QR print', [GS, 0x28, 0x6b, 3, 0, 49, 81, 48]),
  /** GS H n: barcode human-readable text position (2 = below) */
  barcodeHri: (pos: 0 | 1 | 2 | 3) => c(`GS H ${pos} (barcode text position)`, [GS, 0x48, pos]),
  /** GS h n: barcode height in dots */
  barcodeHeight: (dots: number) => c(`GS h ${dots} (barcode height)`, [GS, 0x68, byte(dots, 'barcode height', 1, 255)]),
  /** GS w n: barcode module width (2-6) */
  barcodeWidth: (n: number) => c(`GS w ${n} (barcode module width)`, [GS, 0x77, byte(n, 'barcode width', 1, 6)]),
  /** GS k 73 n d1..dn: CODE128; data starts with a code set selector ({B = set B) */
  code128: (data: string) => {
    for (const ch of data) {
      const code = ch.charCodeAt(0);
      if (code < 0x20 || code > 0x7e) throw new RangeError(`CODE128 (set B) takes printable ASCII only, got '${ch}'`);
    }
    const body = Buffer.from('{B' + data.replace(/\{/g, '{{'), 'latin1');
    if (body.length > 255) throw new RangeError('CODE128 data too long');
    return c(`GS k 73 CODE128 "${data}"`, Buffer.concat([Buffer.from([GS, 0x6b, 73, body.length]), body]));
  },
  /**
   * GS v 0 m xL xH yL yH d1..dk: raster bit image, xL+xH*256 bytes per row,
   * yL+yH*256 rows, most significant bit = leftmost dot, 1 = black
   */
  raster: (widthBytes: number, height: number, data: Buffer) => {
    if (data.length !== widthBytes * height) throw new RangeError('raster data length does not match its size');
    return c(`GS v 0 raster ${widthBytes * 8}x${height}`, Buffer.concat([Buffer.from([GS, 0x76, 0x30, 0, widthBytes & 0xff, widthBytes >> 8, height & 0xff, height >> 8]), data]));
  },
};

export function concatCommands(cmds: readonly EscPosCommand[]): Buffer {
  return Buffer.concat(cmds.map((x) => x.bytes));
}
