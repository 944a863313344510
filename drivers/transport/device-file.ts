/**
 * Printer-class device file connector (USB printers under Linux appear as
 * /dev/usb/lp0). The file is opened write-only without O_CREAT, so an
 * unplugged printer (no device node) is an error, never a new regular file.
 * It is a write-only link: the usblp driver's read side is not used, so a
 * printer on this link reports its status as unknown.
 */
import fs from 'node:fs';
import type { Connection, ConnectionHandlers, Connector } from './types';

export class DeviceFileConnector implements Connector {
  readonly duplex = false;
  readonly target: string;

  constructor(private readonly path: string) {
    this.target = `usb:${path}`;
  }

  async connect(h: ConnectionHandlers): Promise<Connection> {
    const handle = await fs.promises.open(this.path, fs.constants.O_WRONLY | fs.constants.O_NOCTTY);
    let closed = false;
    return {
      write: async (data) => {
        try {
          let off = 0;
          while (off < data.length) {
            const { bytesWritten } = await handle.write(data, off, data.length - off);
            off += bytesWritten;
          }
        } catch (e) {
          if (!closed) h.closed(e instanceof Error ? e : new Error(String(e)));
          throw e;
        }
      },
      close: async () => {
        if (closed) return;
        closed = true;
        await handle.close().catch(() => undefined);
      },
    };
  }
}
