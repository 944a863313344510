/**
 * Serial connector (serialport 13). A pty is a real port, which is how the
 * simulated devices are reached. An unplug surfaces as a 'close' event with
 * `disconnected` set; the managed transport then reopens the same path.
 * The hang-up is not always delivered (seen on a loaded machine), so a POSIX
 * device path is also watched: a USB-serial adapter, like a pty's link,
 * vanishes from /dev when unplugged, and a vanished path counts as an unplug.
 */
import fs from 'node:fs';
import { SerialPort } from 'serialport';
import type { Connection, ConnectionHandlers, Connector } from './types';

export interface SerialOptions {
  path: string;
  baudRate?: number;
  dataBits?: 5 | 6 | 7 | 8;
  parity?: 'none' | 'even' | 'odd';
  stopBits?: 1 | 2;
  rtscts?: boolean;
  /** how often a POSIX device path is checked for presence (ms); 0 turns it off */
  presenceCheckMs?: number;
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
        let ended = false;
        const end = (e: Error) => {
          if (ended) return;
          ended = true;
          clearInterval(presence);
          if (!closing) h.closed(e);
        };
        const every = this.opts.presenceCheckMs ?? 500;
        const watched = every > 0 && this.opts.path.startsWith('/');
        const presence = setInterval(() => {
          if (!watched || fs.existsSync(this.opts.path)) return;
          end(new Error(`the serial device ${this.opts.path} is gone (unplugged)`));
          if (port.isOpen) port.close(() => undefined);
        }, Math.max(every, 50));
        presence.unref();
        if (!watched) clearInterval(presence);
        port.on('data', (d: Buffer) => h.data(d));
        port.on('error', () => undefined);
        port.on('close', (e: Error | null) => end(e ?? new Error('the serial port closed')));
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
              clearInterval(presence);
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
