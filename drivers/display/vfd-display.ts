/**
 * A 2x20 customer display over a serial transport. show() writes two whole
 * lines (padded, so nothing of the previous screen stays) and sets the lamp;
 * showItem/showTotal/showPaid/showChange are what the sale screen calls.
 * Chinese text needs a GB18030-capable display; with charset 'ascii' labels
 * are English and other characters of item names are left out.
 */
import { formatMinor, type Minor } from '../../src/shared/money';
import { columnsOf } from '../escpos/columns';
import type { LinkStatus, Transport } from '../transport/types';
import { displayCmd, encodeDisplayText, type DisplayCharset, type DisplayDialect, type Lamp } from './commands';

export interface CustomerDisplay {
  readonly target: string;
  show(top: string, bottom: string, lamp?: Lamp): Promise<void>;
  showItem(name: string, price: Minor): Promise<void>;
  showTotal(total: Minor): Promise<void>;
  showPaid(paid: Minor): Promise<void>;
  showChange(change: Minor): Promise<void>;
  clear(): Promise<void>;
  test(): Promise<void>;
  on(event: 'status', fn: (s: LinkStatus) => void): () => void;
}

export interface VfdOptions {
  dialect?: DisplayDialect;
  charset?: DisplayCharset;
  cols?: number;
  /** the display has the 单价/合计/收款/找零 lamps (default: true for cd5220) */
  lamps?: boolean;
}

const LABELS = {
  gb18030: { price: '单价', total: '合计', paid: '收款', change: '找零', item: '商品' },
  ascii: { price: 'PRICE', total: 'TOTAL', paid: 'PAID', change: 'CHANGE', item: 'ITEM' },
};

/** cuts text to `cols` display columns (a CJK character takes two) and pads it with spaces */
export function fitColumns(text: string, cols: number): string {
  let out = '';
  let w = 0;
  for (const ch of text) {
    const cw = columnsOf(ch);
    if (w + cw > cols) break;
    out += ch;
    w += cw;
  }
  return out + ' '.repeat(cols - w);
}

export class VfdDisplay implements CustomerDisplay {
  private readonly dialect: DisplayDialect;
  private readonly charset: DisplayCharset;
  private readonly cols: number;
  private readonly lamps: boolean;
  private initialized = false;

  constructor(private readonly transport: Transport, opts: VfdOptions = {}) {
    this.dialect = opts.dialect ?? 'cd5220';
    this.charset = opts.charset ?? 'gb18030';
    this.cols = opts.cols ?? 20;
    this.lamps = opts.lamps ?? this.dialect === 'cd5220';
    transport.on('status', (s) => {
      if (s.state !== 'open') this.initialized = false;
    });
  }

  get target(): string {
    return this.transport.target;
  }

  on(event: 'status', fn: (s: LinkStatus) => void): () => void {
    return this.transport.on(event, fn);
  }

  private text(t: string): string {
    return this.charset === 'ascii' ? t.replace(/[^\x20-\x7e]/g, '') : t;
  }

  private pair(label: string, amount: Minor): string {
    const value = formatMinor(amount);
    const gap = Math.max(1, this.cols - columnsOf(label) - value.length);
    return label + ' '.repeat(gap) + value;
  }

  async show(top: string, bottom: string, lamp?: Lamp): Promise<void> {
    const parts: Buffer[] = [];
    if (!this.initialized) parts.push(displayCmd.init());
    const t = encodeDisplayText(fitColumns(this.text(top), this.cols), this.charset);
    const b = encodeDisplayText(fitColumns(this.text(bottom), this.cols), this.charset);
    if (this.dialect === 'cd5220') parts.push(displayCmd.cd5220Line(1, t), displayCmd.cd5220Line(2, b));
    else parts.push(displayCmd.epsonCursor(1, 1), t, displayCmd.epsonCursor(1, 2), b);
    if (this.lamps && lamp !== undefined) parts.push(displayCmd.lamp(lamp));
    await this.transport.write(Buffer.concat(parts));
    this.initialized = true;
  }

  showItem(name: string, price: Minor): Promise<void> {
    const l = LABELS[this.charset];
    return this.show(this.text(name).trim() || l.item, this.pair(l.price, price), 1);
  }

  showTotal(total: Minor): Promise<void> {
    const l = LABELS[this.charset];
    return this.show(l.total, this.pair('', total), 2);
  }

  showPaid(paid: Minor): Promise<void> {
    const l = LABELS[this.charset];
    return this.show(l.paid, this.pair('', paid), 3);
  }

  showChange(change: Minor): Promise<void> {
    const l = LABELS[this.charset];
    return this.show(l.change, this.pair('', change), 4);
  }

  async clear(): Promise<void> {
    const parts = [displayCmd.clear()];
    if (this.lamps) parts.push(displayCmd.lamp(0));
    await this.transport.write(Buffer.concat(parts));
  }

  test(): Promise<void> {
    return this.show(this.charset === 'gb18030' ? '欢迎光临 Till 客显' : 'Till display test', '0123456789ABCDEFGHIJ', 2);
  }
}
