/**
 * Customer display (客显) command sets for 2x20 VFDs.
 *  - 'cd5220': the CD5220 set most displays sold in China speak (and the
 *    "LED 8-digit" 客显 boards understand its ESC s lamps): ESC @ init, CLR
 *    clear, ESC Q A text CR upper line, ESC Q B text CR lower line, ESC l x y
 *    cursor, ESC s n lamps with n an ASCII digit: '0' off, '1' 单价 (price),
 *    '2' 合计 (total), '3' 收款 (paid), '4' 找零 (change).
 *  - 'epson': Epson's ESC/POS display set (DM-D series and compatibles):
 *    ESC @ init, CLR, US $ x y cursor (1-based), then the text.
 */
import iconv from 'iconv-lite';

export type DisplayDialect = 'cd5220' | 'epson';
export type DisplayCharset = 'gb18030' | 'ascii';
export type Lamp = 0 | 1 | 2 | 3 | 4;

export const ESC = 0x1b;
export const US = 0x1f;
export const CLR = 0x0c;
export const CAN = 0x18;
export const CR = 0x0d;
export const HOM = 0x0b;

export const displayCmd = {
  /** ESC @: initialize */
  init: () => Buffer.from([ESC, 0x40]),
  /** CLR: clear the screen, cursor home */
  clear: () => Buffer.from([CLR]),
  /** ESC Q A / ESC Q B: write the upper / lower line (CD5220) */
  cd5220Line: (row: 1 | 2, text: Buffer) => Buffer.concat([Buffer.from([ESC, 0x51, row === 1 ? 0x41 : 0x42]), text, Buffer.from([CR])]),
  /** ESC l x y: move the cursor (CD5220, 1-based) */
  cd5220Cursor: (col: number, row: number) => Buffer.from([ESC, 0x6c, col, row]),
  /** US $ x y: move the cursor (Epson, 1-based) */
  epsonCursor: (col: number, row: number) => Buffer.from([US, 0x24, col, row]),
  /** ESC s n: lamps, n as an ASCII digit */
  lamp: (n: Lamp) => Buffer.from([ESC, 0x73, 0x30 + n]),
};

export function encodeDisplayText(text: string, charset: DisplayCharset): Buffer {
  return charset === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(text.replace(/[^\x20-\x7e]/g, '?'), 'latin1');
}
