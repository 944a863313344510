/**
 * What IT staff can plug a device into: serial ports (serialport's list(),
 * which reads udev through `udevadm`) and printer-class device files
 * (/dev/usb/lp*). Without udevadm, serial ports are listed from /dev (USB
 * serial adapters and CDC devices only, without maker or ids) and a note
 * says why.
 */
import fs from 'node:fs';
import path from 'node:path';
import { SerialPort } from 'serialport';

export interface PortInfo {
  path: string;
  kind: 'serial' | 'usb-printer';
  manufacturer?: string;
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
}

export interface PortListing {
  ports: PortInfo[];
  notes: string[];
}

export function findOnPath(cmd: string, envPath = process.env.PATH ?? ''): string | null {
  for (const dir of envPath.split(path.delimiter).filter(Boolean)) {
    const p = path.join(dir, cmd);
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return p;
    } catch {
      continue;
    }
  }
  return null;
}

function devFiles(dir: string, re: RegExp): string[] {
  try {
    return fs.readdirSync(dir).filter((n) => re.test(n)).sort().map((n) => path.join(dir, n));
  } catch {
    return [];
  }
}

export async function listPorts(opts: { devDir?: string } = {}): Promise<PortListing> {
  const dev = opts.devDir ?? '/dev';
  const notes: string[] = [];
  const ports: PortInfo[] = [];
  if (findOnPath('udevadm')) {
    try {
      for (const p of await SerialPort.list()) {
        ports.push({
          path: p.path,
          kind: 'serial',
          ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}),
          ...(p.vendorId ? { vendorId: p.vendorId } : {}),
          ...(p.productId ? { productId: p.productId } : {}),
          ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}),
        });
      }
    } catch (e) {
      notes.push(`serial port listing failed: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
    }
  } else {
    notes.push('udevadm is not installed (Debian package udev): serial ports are listed from /dev without maker or USB ids, and built-in ttyS ports are left out');
    for (const p of devFiles(dev, /^tty(USB|ACM|AMA)\d+$/)) ports.push({ path: p, kind: 'serial' });
  }
  for (const p of devFiles(path.join(dev, 'usb'), /^lp\d+$/)) ports.push({ path: p, kind: 'usb-printer' });
  if (!ports.length) notes.push('no serial ports or USB printers found (a pty used by a simulated device is not listed; give its path directly)');
  return { ports, notes };
}
