/**
 * ManagedTransport: turns a Connector (one connection attempt) into a link
 * that stays up. After a failed attempt, an unplug or a dropped socket it
 * waits backoffDelay(attempt) (exponential, capped) and tries again, until
 * close(). Every change of state is emitted as a 'status' event.
 */
import { TillError } from '../../src/shared/errors';
import { Emitter } from './emitter';
import {
  backoffDelay,
  DEFAULT_BACKOFF,
  errorLine,
  type BackoffOptions,
  type Connection,
  type Connector,
  type LinkStatus,
  type Transport,
  type TransportEvents,
} from './types';

export interface ManagedOptions {
  backoff?: Partial<BackoffOptions>;
}

export class ManagedTransport extends Emitter<TransportEvents> implements Transport {
  private conn: Connection | null = null;
  private wanted = false;
  private timer: NodeJS.Timeout | null = null;
  private generation = 0;
  private current: LinkStatus;
  private readonly backoff: BackoffOptions;

  constructor(private readonly connector: Connector, opts: ManagedOptions = {}) {
    super();
    this.backoff = { ...DEFAULT_BACKOFF, ...opts.backoff };
    this.current = { target: connector.target, state: 'closed', attempt: 0, at: Date.now() };
  }

  get target(): string {
    return this.connector.target;
  }

  get duplex(): boolean {
    return this.connector.duplex;
  }

  get status(): LinkStatus {
    return this.current;
  }

  open(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.setStatus({ state: 'connecting', attempt: 0 });
    void this.attempt();
  }

  whenOpen(timeoutMs: number): Promise<void> {
    if (this.current.state === 'open') return Promise.resolve();
    return this.next('status', timeoutMs, (s) => s.state === 'open').then(
      () => undefined,
      () => {
        throw new TillError('device-error', `${this.target} did not open within ${timeoutMs} ms${this.current.error ? `: ${this.current.error}` : ''}`, {
          target: this.target,
        });
      },
    );
  }

  async close(): Promise<void> {
    this.wanted = false;
    this.generation++;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const c = this.conn;
    this.conn = null;
    if (c) await c.close().catch(() => undefined);
    if (this.current.state !== 'closed') this.setStatus({ state: 'closed', attempt: 0 });
  }

  async write(data: Uint8Array): Promise<void> {
    const c = this.conn;
    if (!c || this.current.state !== 'open') {
      throw new TillError('device-error', `${this.target} is not connected (${this.current.state}${this.current.error ? `: ${this.current.error}` : ''})`, {
        target: this.target,
      });
    }
    try {
      await c.write(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
    } catch (e) {
      this.lost(c, e instanceof Error ? e : new Error(String(e)));
      throw new TillError('device-error', `write to ${this.target} failed: ${errorLine(e)}`, { target: this.target });
    }
  }

  private async attempt(): Promise<void> {
    const gen = this.generation;
    let conn: Connection | null = null;
    try {
      conn = await this.connector.connect({
        data: (chunk) => {
          if (this.conn === conn) this.emit('data', chunk);
        },
        closed: (err) => {
          if (conn) this.lost(conn, err ?? new Error('connection closed by the device'));
        },
      });
    } catch (e) {
      if (gen !== this.generation || !this.wanted) return;
      this.schedule(errorLine(e));
      return;
    }
    if (gen !== this.generation || !this.wanted) {
      await conn.close().catch(() => undefined);
      return;
    }
    this.conn = conn;
    this.setStatus({ state: 'open', attempt: 0 });
  }

  private lost(conn: Connection, err: Error): void {
    if (this.conn !== conn) return;
    this.conn = null;
    void conn.close().catch(() => undefined);
    if (!this.wanted) return;
    this.schedule(errorLine(err));
  }

  private schedule(error: string): void {
    const attempt = this.current.attempt + 1;
    const retryInMs = backoffDelay(attempt, this.backoff);
    this.setStatus({ state: 'reconnecting', attempt, error, retryInMs });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.wanted) void this.attempt();
    }, retryInMs);
    this.timer.unref?.();
  }

  private setStatus(s: Omit<LinkStatus, 'target' | 'at'>): void {
    this.current = { target: this.target, ...s, at: Date.now() };
    this.emit('status', this.current);
  }
}
