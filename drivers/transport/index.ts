/**
 * Transport URIs, as IT staff write them in the config or on the command line:
 *   tcp://HOST[:PORT]             network printer (port 9100 when omitted)
 *   serial:PATH[?baud=N&rtscts=1] serial port or pty, e.g. serial:/dev/ttyUSB0?baud=19200 (rtscts: hardware flow control)
 *   usb:/dev/usb/lp0              printer-class device file
 *   usb:VID:PID                   USB device through libusb, ids in hex (usb:0x0483:0x5743)
 *   sim:NAME                      the in-memory simulated link (tests)
 */
import { TillError } from '../../src/shared/errors';
import { DeviceFileConnector } from './device-file';
import { ManagedTransport, type ManagedOptions } from './managed';
import { SerialConnector } from './serial';
import { SimulatedConnector } from './simulated';
import { TcpConnector } from './tcp';
import type { Connector, Transport } from './types';
import { UsbConnector } from './usb';

export * from './types';
export { Emitter } from './emitter';
export { ManagedTransport } from './managed';
export { TcpConnector } from './tcp';
export { SerialConnector } from './serial';
export { DeviceFileConnector } from './device-file';
export { UsbConnector } from './usb';
export { SimulatedConnector } from './simulated';
export { PtyPeer } from './pty-peer';
export { listPorts, findOnPath, type PortInfo, type PortListing } from './list-ports';

export function connectorFromUri(uri: string, opts: { baudRate?: number } = {}): Connector {
  const bad = (why: string) => new TillError('config-invalid', `bad device address '${uri}': ${why}`, { uri });
  if (uri.startsWith('tcp://')) {
    const m = /^tcp:\/\/(\[[^\]]+\]|[^:/]+)(?::(\d{1,5}))?\/?$/.exec(uri);
    if (!m) throw bad('expected tcp://HOST[:PORT]');
    const port = m[2] === undefined ? 9100 : Number(m[2]);
    if (port < 1 || port > 65535) throw bad('port must be 1-65535');
    return new TcpConnector({ host: (m[1] as string).replace(/^\[|\]$/g, ''), port });
  }
  if (uri.startsWith('serial:')) {
    const [path, query] = uri.slice('serial:'.length).split('?');
    if (!path) throw bad('expected serial:PATH');
    let baudRate = opts.baudRate ?? 9600;
    let rtscts = false;
    if (query) {
      const q = new URLSearchParams(query);
      const b = q.get('baud');
      if (b !== null) {
        if (!/^\d+$/.test(b)) throw bad('baud must be a number');
        baudRate = Number(b);
      }
      const f = q.get('rtscts');
      if (f !== null) {
        if (f !== '0' && f !== '1') throw bad('rtscts must be 0 or 1');
        rtscts = f === '1';
      }
    }
    return new SerialConnector({ path, baudRate, rtscts });
  }
  if (uri.startsWith('usb:')) {
    const rest = uri.slice(4);
    if (rest.startsWith('/')) return new DeviceFileConnector(rest);
    const m = /^(?:0x)?([0-9a-f]{1,4}):(?:0x)?([0-9a-f]{1,4})$/i.exec(rest);
    if (!m) throw bad('expected usb:/dev/usb/lpN or usb:VID:PID (hex ids)');
    return new UsbConnector(parseInt(m[1] as string, 16), parseInt(m[2] as string, 16));
  }
  if (uri.startsWith('sim:')) return new SimulatedConnector(uri.slice(4) || 'sim');
  throw bad('use tcp://HOST:PORT, serial:PATH, usb:/dev/usb/lpN, usb:VID:PID or sim:NAME');
}

export function createTransport(uri: string, opts: ManagedOptions & { baudRate?: number } = {}): Transport {
  return new ManagedTransport(connectorFromUri(uri, opts), opts);
}
