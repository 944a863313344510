/**
 * The byte link every device driver talks through. A driver never opens a
 * port itself: it receives a Transport (serial, TCP, USB, device file or the
 * simulated link) and only writes bytes, reads bytes and watches the status.
 */
export type LinkState = 'closed' | 'connecting' | 'open' | 'reconnecting';

export interface LinkStatus {
  /** what the link points at, e.g. 'tcp://127.0.0.1:9100' or 'serial:/dev/ttyUSB0' */
  target: string;
  state: LinkState;
  /** reconnect attempts since the link was last open */
  attempt: number;
  /** the last error, one line, when the link is not open */
  error?: string;
  /** ms until the next attempt while reconnecting */
  retryInMs?: number;
  at: number;
}

export interface TransportEvents {
  data: Buffer;
  status: LinkStatus;
}

export interface Transport {
  readonly target: string;
  /** false for write-only links (a printer-class device file): status queries cannot be answered */
  readonly duplex: boolean;
  readonly status: LinkStatus;
  /** starts connecting (idempotent); the link then reconnects by itself until close() */
  open(): void;
  /** resolves when the link is open; rejects with a device-error after timeoutMs */
  whenOpen(timeoutMs: number): Promise<void>;
  close(): Promise<void>;
  /** rejects with a device-error when the link is not open or the write fails */
  write(data: Uint8Array): Promise<void>;
  on<K extends keyof TransportEvents>(event: K, fn: (v: TransportEvents[K]) => void): () => void;
  off<K extends keyof TransportEvents>(event: K, fn: (v: TransportEvents[K]) => void): void;
}

/** One live connection made by a Connector; the managed transport owns its lifetime. */
export interface Connection {
  write(data: Buffer): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectionHandlers {
  data(chunk: Buffer): void;
  /** the other side went away (unplug, hang-up, socket dropped) */
  closed(error?: Error): void;
}

/** Knows how to make one connection to one kind of port; reconnecting is not its job. */
export interface Connector {
  readonly target: string;
  readonly duplex: boolean;
  connect(handlers: ConnectionHandlers): Promise<Connection>;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 10_000, factor: 2 };

/** delay before reconnect attempt n (1-based): initial * factor^(n-1), capped at max */
export function backoffDelay(attempt: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const d = o.initialMs * Math.pow(o.factor, Math.max(0, attempt - 1));
  return Math.min(o.maxMs, Math.round(d));
}

export function errorLine(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split('\n')[0] ?? msg;
}
