/** TCP connector: network receipt printers listen on port 9100 (raw ESC/POS). */
import net from 'node:net';
import type { Connection, ConnectionHandlers, Connector } from './types';

export interface TcpOptions {
  host: string;
  port?: number;
  connectTimeoutMs?: number;
}

export class TcpConnector implements Connector {
  readonly duplex = true;
  readonly target: string;
  private readonly port: number;

  constructor(private readonly opts: TcpOptions) {
    this.port = opts.port ?? 9100;
    this.target = `tcp://${opts.host}:${this.port}`;
  }

  connect(h: ConnectionHandlers): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: this.opts.host, port: this.port });
      const timer = setTimeout(() => socket.destroy(new Error(`connect timed out after ${this.opts.connectTimeoutMs ?? 3000} ms`)), this.opts.connectTimeoutMs ?? 3000);
      const fail = (e: Error) => {
        clearTimeout(timer);
        socket.destroy();
        reject(e);
      };
      socket.once('error', fail);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.off('error', fail);
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 5000);
        let lastError: Error | undefined;
        socket.on('error', (e) => (lastError = e));
        socket.on('data', (d: Buffer) => h.data(d));
        socket.on('close', () => h.closed(lastError ?? new Error('the printer closed the connection')));
        resolve({
          write: (data) =>
            new Promise<void>((res, rej) => {
              if (socket.destroyed || !socket.writable) {
                rej(new Error('socket is closed'));
                return;
              }
              socket.write(data, (err) => (err ? rej(err) : res()));
            }),
          close: () =>
            new Promise<void>((res) => {
              if (socket.destroyed) {
                res();
                return;
              }
              socket.once('close', () => res());
              socket.end();
              setTimeout(() => socket.destroy(), 500).unref();
            }),
        });
      });
    });
  }
}
