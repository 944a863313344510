/**
 * What a 2x20 display shows for a byte stream: a screen of two rows of cells
 * and the lamp, decoded from either command set (CD5220 and Epson's). Text
 * bytes are GB18030; a full-width character takes two cells. Unknown escape
 * sequences are counted, never fatal; the parse buffer is bounded.
 */
import iconv from 'iconv-lite';
import { columnsOf } from '../escpos/columns';
import { CAN, CLR, CR, ESC, HOM, US, type Lamp } from './commands';

export interface DisplayScreen {
  rows: [string, string];
  lamp: Lamp;
  unknown: number;
}

export class DisplayDecoder {
  private cells: string[][];
  private row = 0;
  private col = 0;
  private buf: number[] = [];
  private lineTarget: 0 | 1 | null = null;
  lamp: Lamp = 0;
  unknown = 0;

  constructor(private readonly cols = 20) {
    this.cells = [this.blank(), this.blank()];
  }

  private blank(): string[] {
    return Array.from({ length: this.cols }, () => ' ');
  }

  get screen(): DisplayScreen {
    const rows = this.cells.map((r) => r.join('')) as [string, string];
    return { rows, lamp: this.lamp, unknown: this.unknown };
  }

  push(chunk: Uint8Array): void {
    for (const b of chunk) this.buf.push(b);
    if (this.buf.length > 4096) this.buf.splice(0, this.buf.length - 4096);
    let i = 0;
    const b = this.buf;
    while (i < b.length) {
      const used = this.step(b, i);
      if (used === 0) break;
      i += used;
    }
    this.buf = b.slice(i);
  }

  private write(bytes: number[]): void {
    for (const ch of iconv.decode(Buffer.from(bytes), 'gb18030')) {
      const w = columnsOf(ch) || 1;
      if (this.col + w > this.cols) {
        if (this.lineTarget !== null) continue;
        this.col = 0;
        this.row = this.row === 0 ? 1 : 0;
      }
      const r = this.cells[this.row] as string[];
      r[this.col] = ch;
      if (w === 2) r[this.col + 1] = '';
      this.col += w;
    }
  }

  /** consumes one unit at b[i]; 0 = wait for more bytes */
  private step(b: number[], i: number): number {
    const x = b[i] as number;
    if (x >= 0x20) {
      let j = i;
      while (j < b.length && (b[j] as number) >= 0x20) j++;
      const last = b[j - 1] as number;
      if (j === b.length && last >= 0x80) {
        let lead = 0;
        for (let k = i; k < j; k++) if ((b[k] as number) >= 0x81) lead++;
        if (lead % 2 === 1 && j - i < 64) return 0;
      }
      this.write(b.slice(i, j));
      return j - i;
    }
    const avail = b.length - i;
    switch (x) {
      case CLR:
        this.cells = [this.blank(), this.blank()];
        this.row = 0;
        this.col = 0;
        return 1;
      case CAN:
        this.cells[this.row] = this.blank();
        this.col = 0;
        return 1;
      case HOM:
        this.row = 0;
        this.col = 0;
        return 1;
      case CR:
        this.col = 0;
        this.lineTarget = null;
        return 1;
      case 0x0a:
        this.row = this.row === 0 ? 1 : 0;
        return 1;
      case 0x08:
        this.col = Math.max(0, this.col - 1);
        return 1;
      case ESC: {
        if (avail < 2) return 0;
        const op = b[i + 1] as number;
        if (op === 0x40) {
          this.cells = [this.blank(), this.blank()];
          this.row = 0;
          this.col = 0;
          this.lamp = 0;
          return 2;
        }
        if (op === 0x51) {
          if (avail < 3) return 0;
          const which = b[i + 2] as number;
          if (which === 0x41 || which === 0x42 || which === 0x44) {
            this.row = which === 0x42 ? 1 : 0;
            this.cells[this.row] = this.blank();
            this.col = 0;
            this.lineTarget = this.row as 0 | 1;
          } else this.unknown++;
          return 3;
        }
        if (op === 0x6c) {
          if (avail < 4) return 0;
          this.col = Math.min(this.cols - 1, Math.max(0, (b[i + 2] as number) - 1));
          this.row = (b[i + 3] as number) === 2 ? 1 : 0;
          return 4;
        }
        if (op === 0x73) {
          if (avail < 3) return 0;
          const n = (b[i + 2] as number) >= 0x30 ? (b[i + 2] as number) - 0x30 : (b[i + 2] as number);
          if (n >= 0 && n <= 4) this.lamp = n as Lamp;
          else this.unknown++;
          return 3;
        }
        if (op === 0x3d) return avail < 3 ? 0 : 3;
        if (op === 0x11 || op === 0x12 || op === 0x13) return 2;
        this.unknown++;
        return 2;
      }
      case US: {
        if (avail < 2) return 0;
        const op = b[i + 1] as number;
        if (op === 0x24) {
          if (avail < 4) return 0;
          this.col = Math.min(this.cols - 1, Math.max(0, (b[i + 2] as number) - 1));
          this.row = (b[i + 3] as number) === 2 ? 1 : 0;
          return 4;
        }
        if (op === 0x01 || op === 0x02 || op === 0x03 || op === 0x0d || op === 0x0a || op === 0x42) return 2;
        if (op === 0x43 || op === 0x45 || op === 0x58) return avail < 3 ? 0 : 3;
        this.unknown++;
        return 2;
      }
      default:
        this.unknown++;
        return 1;
    }
  }
}
