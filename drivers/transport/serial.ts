/**
 * Serial connector (serialport 13). A pty is a real port, which is how the
 * simulated devices are reached. An unplug surfaces as a 'close' event with
 * `disconnected` set; the managed transport then reopens the same path.
 */
import { SerialPort } from 'serialport';
import type { Connection, ConnectionHandlers, Connector } from './types';

export interface SerialOptions {
  path: string;
  baudRate?: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  rtscts?: boolean;
}

export class SerialConnector implements Connector {
  readonly duplex = true;
  readonly target: string;

  constructor(private readonly opts: SerialOptions) {
    this.target = `serial:${opts.path}`;
  }

  connect(h: ConnectionHandlers): Promise<Connection> {
    const port = new SerialPort({
      path: this.opts.path,
      baudRate: this.opts.baudRate ?? 9600,
      dataBits: this.opts.dataBits ?? 8,
      parity: this.opts.parity ?? 'none',
      stopBits: this.opts.stopBits ?? 1,
      rtscts: this.opts.rtscts ?? false,
      autoOpen: false,
    });
    return new Promise((resolve, reject) => {
      port.open((err) => {
        if (err) {
          reject(err);
          return;
        }
        let closing = false;
        port.on('data', (d: Buffer) => h.data(d));
        port.on('error', () => undefined);
        port.on('close', (e: Error | null) => {
          if (!closing) h.closed(e ?? new Error('the serial port closed'));
        });
        resolve({
          write: (data) =>
            new Promise<void>((res, rej) => {
              port.write(data, (e) => {
                if (e) {
                  rej(e);
                  return;
                }
                port.drain((d) => (d ? rej(d) : res()));
              });
            }),
          close: () =>
            new Promise<void>((res) => {
              closing = true;
              if (!port.isOpen) {
                res();
                return;
              }
              port.close(() => res());
            }),
        });
      });
    });
  }
}
