/**
 * Printer status through DLE EOT n (real-time: answered even while the
 * printer is offline). Each answer is one byte with bits 1 and 4 set and bits
 * 0 and 7 clear (mask 0x93 == 0x12), which is how a status byte is told
 * apart from other traffic.
 *   n=1 printer:       bit 2 drawer connector pin 3 high, bit 3 offline
 *   n=2 offline cause: bit 2 cover open, bit 3 feed button, bit 5 stopped by paper end, bit 6 error
 *   n=3 error cause:   bit 2 autocutter error, bit 3 unrecoverable error, bit 5 auto-recoverable error
 *   n=4 paper sensor:  bits 2+3 paper near end, bits 5+6 paper end
 */
export type PrinterState = 'ready' | 'paper-near-end' | 'paper-out' | 'cover-open' | 'offline' | 'error' | 'disconnected' | 'unknown';

export interface PrinterStatus {
  state: PrinterState;
  online: boolean;
  coverOpen: boolean;
  paperNearEnd: boolean;
  paperOut: boolean;
  error: boolean;
  /** DLE EOT 1 bit 2; what it means for a drawer depends on the drawer's switch */
  drawerPinHigh: boolean | null;
  /** one line for the cashier */
  message: string;
  at: number;
}

export const isStatusByte = (b: number): boolean => (b & 0x93) === 0x12;

const MESSAGES: Record<PrinterState, string> = {
  ready: 'printer ready',
  'paper-near-end': 'printer paper is running low',
  'paper-out': 'printer is out of paper',
  'cover-open': 'printer cover is open',
  offline: 'printer is offline',
  error: 'printer reports an error (cutter or mechanism)',
  disconnected: 'printer is not connected',
  unknown: 'printer status unknown (the link cannot report it)',
};

export function parseStatus(bytes: readonly [number, number, number, number], at = Date.now()): PrinterStatus {
  const [s1, s2, s3, s4] = bytes;
  const paperOut = (s4 & 0x60) !== 0 || (s2 & 0x20) !== 0;
  const paperNearEnd = (s4 & 0x0c) !== 0;
  const coverOpen = (s2 & 0x04) !== 0;
  const error = (s2 & 0x40) !== 0 || (s3 & 0x2c) !== 0;
  const offline = (s1 & 0x08) !== 0;
  const state: PrinterState = paperOut ? 'paper-out' : coverOpen ? 'cover-open' : error ? 'error' : offline ? 'offline' : paperNearEnd ? 'paper-near-end' : 'ready';
  return { state, online: !offline, coverOpen, paperNearEnd, paperOut, error, drawerPinHigh: (s1 & 0x04) !== 0, message: MESSAGES[state], at };
}

export function statusOf(state: 'disconnected' | 'unknown', detail?: string, at = Date.now()): PrinterStatus {
  return {
    state,
    online: state === 'unknown',
    coverOpen: false,
    paperNearEnd: false,
    paperOut: false,
    error: false,
    drawerPinHigh: null,
    message: detail ? `${MESSAGES[state]}: ${detail}` : MESSAGES[state],
    at,
  };
}

/** the four answers a printer in the given condition sends (used by the simulated printers) */
export function statusBytes(c: { offline?: boolean; coverOpen?: boolean; paperNearEnd?: boolean; paperOut?: boolean; error?: boolean; drawerPinHigh?: boolean }): [number, number, number, number] {
  const offline = !!(c.offline || c.coverOpen || c.paperOut || c.error);
  return [
    0x12 | (c.drawerPinHigh ? 0x04 : 0) | (offline ? 0x08 : 0),
    0x12 | (c.coverOpen ? 0x04 : 0) | (c.paperOut ? 0x20 : 0) | (c.error ? 0x40 : 0),
    0x12 | (c.error ? 0x08 : 0),
    0x12 | (c.paperNearEnd || c.paperOut ? 0x0c : 0) | (c.paperOut ? 0x60 : 0),
  ];
}

/** can a job be sent now? near-end still prints */
export const canPrint = (s: PrinterStatus): boolean => s.state === 'ready' || s.state === 'paper-near-end' || s.state === 'unknown';
