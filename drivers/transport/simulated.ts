/**
 * The simulated link: an in-memory cable between a driver and a test. The
 * device end injects bytes, reads what the driver wrote, and can unplug and
 * replug the cable, so reconnect logic runs exactly as on real ports.
 */
import { Emitter } from './emitter';
import type { Connection, ConnectionHandlers, Connector } from './types';

export interface SimulatedDeviceEvents {
  /** bytes the driver wrote */
  data: Buffer;
  connected: void;
  disconnected: void;
}

export class SimulatedConnector extends Emitter<SimulatedDeviceEvents> implements Connector {
  readonly target: string;
  private plugged = true;
  private handlers: ConnectionHandlers | null = null;

  constructor(name = 'sim', readonly duplex = true) {
    super();
    this.target = `sim:${name}`;
  }

  async connect(h: ConnectionHandlers): Promise<Connection> {
    if (!this.plugged) throw new Error('simulated device is unplugged');
    this.handlers = h;
    this.emit('connected', undefined);
    return {
      write: async (data) => {
        if (this.handlers !== h) throw new Error('simulated device is unplugged');
        this.emit('data', Buffer.from(data));
      },
      close: async () => {
        if (this.handlers === h) this.handlers = null;
      },
    };
  }

  get connected(): boolean {
    return this.handlers !== null;
  }

  /** the device sends bytes to the driver; false when nothing is connected */
  send(data: Uint8Array | string): boolean {
    if (!this.handlers) return false;
    this.handlers.data(Buffer.from(data));
    return true;
  }

  unplug(): void {
    this.plugged = false;
    const h = this.handlers;
    this.handlers = null;
    if (h) {
      h.closed(new Error('simulated unplug'));
      this.emit('disconnected', undefined);
    }
  }

  replug(): void {
    this.plugged = true;
  }
}
