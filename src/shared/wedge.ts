/**
 * Keyboard-wedge detection. A USB barcode scanner in keyboard mode "types"
 * the code, one key every few milliseconds, and presses Enter. A person
 * types far slower. The detector collects printable keys that arrive within
 * `maxGapMs` of each other and, on the terminator, reports the collected run
 * as a scan when it is at least `minLength` long. A slow key starts a new run,
 * so a person typing and then pressing Enter is never taken for a scanner.
 * Pure: the caller passes each key with its timestamp.
 */
export interface WedgeOptions {
  /** largest gap between two keys of one scan (ms) */
  maxGapMs?: number;
  /** shortest code accepted as a scan */
  minLength?: number;
}

const MODIFIERS = new Set(['Shift', 'CapsLock', 'AltGraph']);

export type WedgeVerdict = { kind: 'scan'; code: string } | { kind: 'key' };

export class WedgeDetector {
  private readonly maxGapMs: number;
  private readonly minLength: number;
  private buffer = '';
  private last = Number.NEGATIVE_INFINITY;

  constructor(o: WedgeOptions = {}) {
    this.maxGapMs = o.maxGapMs ?? 40;
    this.minLength = o.minLength ?? 6;
    if (!(this.maxGapMs > 0)) throw new TypeError('maxGapMs must be positive');
    if (!Number.isInteger(this.minLength) || this.minLength < 1) throw new TypeError('minLength must be a positive integer');
  }

  /**
   * feeds one key ('Enter', 'Tab' or a single printable character) at time `at` (ms).
   * Modifier keys are passed over without touching the run: a scanner presses
   * Shift before every capital letter.
   */
  feed(key: string, at: number): WedgeVerdict {
    if (MODIFIERS.has(key)) return { kind: 'key' };
    const fast = at - this.last <= this.maxGapMs;
    this.last = at;
    if (key === 'Enter' || key === 'Tab') {
      const code = fast ? this.buffer : '';
      this.buffer = '';
      return code.length >= this.minLength ? { kind: 'scan', code } : { kind: 'key' };
    }
    if (key.length !== 1) {
      this.buffer = '';
      return { kind: 'key' };
    }
    this.buffer = fast ? this.buffer + key : key;
    return { kind: 'key' };
  }

  reset(): void {
    this.buffer = '';
    this.last = Number.NEGATIVE_INFINITY;
  }
}
