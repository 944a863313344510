/**
 * Serial scanner framing. A scanner sends the code and a suffix (CR, LF or
 * CRLF), or no suffix at all, in which case the frame ends when the line has
 * been quiet for `interByteTimeoutMs`. With a suffix the same timeout throws
 * away a partial frame (a scanner never pauses inside a code).
 *
 * Only clean frames become codes: every byte printable ASCII (0x20-0x7E, plus
 * GS 0x1D for GS1 data when allowed), length within [minLength, maxLength],
 * and matching `pattern` when one is given. A frame that breaks a rule is
 * dropped whole; an over-long frame is dropped as it grows, so memory stays
 * bounded by maxLength whatever arrives.
 */
export type Suffix = 'CR' | 'LF' | 'CRLF' | 'none';

export interface FramerOptions {
  suffix: Suffix;
  /** quiet time that ends a frame (suffix 'none') or voids a partial one; default 50 ms */
  interByteTimeoutMs?: number;
  minLength?: number;
  maxLength?: number;
  allowGs1?: boolean;
  pattern?: RegExp;
}

export interface Frame {
  code: string;
  /** time of the frame's last byte */
  at: number;
}

const CR = 0x0d;
const LF = 0x0a;

export class ScanFramer {
  private bytes: number[] = [];
  private bad = false;
  private sawCr = false;
  private last = 0;
  readonly timeoutMs: number;
  private readonly min: number;
  private readonly max: number;

  constructor(private readonly o: FramerOptions) {
    this.timeoutMs = o.interByteTimeoutMs ?? 50;
    this.min = o.minLength ?? 3;
    this.max = o.maxLength ?? 64;
    if (!['CR', 'LF', 'CRLF', 'none'].includes(o.suffix)) throw new TypeError(`suffix must be CR, LF, CRLF or none, got '${String(o.suffix)}'`);
    if (!(this.timeoutMs > 0)) throw new TypeError('interByteTimeoutMs must be positive');
    if (!Number.isInteger(this.min) || this.min < 1 || !Number.isInteger(this.max) || this.max < this.min) throw new TypeError('minLength/maxLength must be integers with 1 <= minLength <= maxLength');
  }

  /** feeds bytes received at time `now`; returns the codes they complete */
  push(chunk: Uint8Array, now: number): Frame[] {
    const out: Frame[] = [];
    if (this.pending && now - this.last > this.timeoutMs) this.timeout(out);
    this.last = now;
    for (const b of chunk) {
      const endsCR = b === CR && this.o.suffix === 'CR';
      const endsLF = b === LF && (this.o.suffix === 'LF' || this.o.suffix === 'CRLF');
      if (endsCR || endsLF) {
        const ok = this.o.suffix !== 'CRLF' || this.sawCr;
        this.emit(out, now, ok);
        continue;
      }
      if (this.o.suffix === 'CRLF' && b === CR) {
        if (this.sawCr) this.bad = true;
        this.sawCr = true;
        continue;
      }
      if (this.sawCr) this.bad = true;
      if (!(this.printable(b))) this.bad = true;
      if (this.bytes.length >= this.max) this.bad = true;
      else this.bytes.push(b);
    }
    return out;
  }

  /** call when the line has been quiet: ends a suffix-less frame, voids a partial one */
  flush(now: number): Frame[] {
    const out: Frame[] = [];
    if (this.pending && now - this.last >= this.timeoutMs) this.timeout(out);
    return out;
  }

  get pending(): boolean {
    return this.bytes.length > 0 || this.bad || this.sawCr;
  }

  private timeout(out: Frame[]): void {
    if (this.o.suffix === 'none') this.emit(out, this.last, true);
    else this.clear();
  }

  private printable(b: number): boolean {
    return (b >= 0x20 && b <= 0x7e) || (b === 0x1d && !!this.o.allowGs1);
  }

  private emit(out: Frame[], at: number, ok: boolean): void {
    const code = String.fromCharCode(...this.bytes);
    const good = ok && !this.bad && code.length >= this.min && code.length <= this.max && (!this.o.pattern || this.o.pattern.test(code));
    this.clear();
    if (good) out.push({ code, at });
  }

  private clear(): void {
    this.bytes = [];
    this.bad = false;
    this.sawCr = false;
  }
}
