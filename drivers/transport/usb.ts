/**
 * USB printer through libusb (the `usb` package's WebUSB-style API), for
 * machines where the kernel's usblp driver does not claim the printer. It
 * finds the device by vendor and product id, claims the printer-class
 * interface (class 7) and writes to its bulk OUT endpoint; the bulk IN
 * endpoint, when present, carries status replies. It needs a USB bus and
 * permission on the device node (a udev rule); without them connect() fails
 * with a message that says so.
 */
import type { Connection, ConnectionHandlers, Connector } from './types';

/** The part of WebUSB's USBDevice this connector uses. */
interface UsbEndpointLike {
  endpointNumber: number;
  direction: 'in' | 'out';
  type: string;
}
interface UsbDeviceLike {
  vendorId: number;
  productId: number;
  configuration: { interfaces: Array<{ interfaceNumber: number; alternate: { interfaceClass: number; endpoints: UsbEndpointLike[] } }> } | null | undefined;
  open(): Promise<void>;
  close(): Promise<void>;
  selectConfiguration(n: number): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface(n: number): Promise<void>;
  transferOut(ep: number, data: Uint8Array): Promise<{ status: string }>;
  transferIn(ep: number, length: number): Promise<{ status: string; data?: DataView }>;
}
interface WebUsbLike {
  findDeviceByIds(vid: number, pid: number): Promise<UsbDeviceLike | undefined>;
  addEventListener(type: 'disconnect', fn: (ev: { device: unknown }) => void): void;
  removeEventListener(type: 'disconnect', fn: (ev: { device: unknown }) => void): void;
}

export const PRINTER_CLASS = 7;

export class UsbConnector implements Connector {
  readonly duplex = true;
  readonly target: string;

  constructor(private readonly vendorId: number, private readonly productId: number) {
    const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;
    this.target = `usb:${hex(vendorId)}:${hex(productId)}`;
  }

  async connect(h: ConnectionHandlers): Promise<Connection> {
    let webusb: WebUsbLike;
    try {
      const mod = (await import('usb')) as unknown as { WebUSB: new (o: { allowAllDevices: boolean }) => WebUsbLike };
      webusb = new mod.WebUSB({ allowAllDevices: true });
    } catch (e) {
      throw new Error(`the usb package could not load libusb (${e instanceof Error ? e.message : String(e)}); use the printer's device file instead, e.g. usb:/dev/usb/lp0`);
    }
    let dev: UsbDeviceLike | undefined;
    try {
      dev = await webusb.findDeviceByIds(this.vendorId, this.productId);
    } catch (e) {
      throw new Error(`cannot search the USB bus for ${this.target.slice(4)} (${e instanceof Error ? e.message : String(e)}); libusb needs /sys/bus/usb and access to /dev/bus/usb`);
    }
    if (!dev) {
      throw new Error(`no USB device ${this.target.slice(4)} on this machine (is it plugged in, and does a udev rule give this user access?)`);
    }
    await dev.open();
    if (!dev.configuration) await dev.selectConfiguration(1);
    const iface = dev.configuration?.interfaces.find((i) => i.alternate.interfaceClass === PRINTER_CLASS);
    if (!iface) {
      await dev.close();
      throw new Error(`USB device ${this.target.slice(4)} has no printer-class interface`);
    }
    await dev.claimInterface(iface.interfaceNumber);
    const out = iface.alternate.endpoints.find((e) => e.direction === 'out' && e.type === 'bulk');
    const inp = iface.alternate.endpoints.find((e) => e.direction === 'in' && e.type === 'bulk');
    if (!out) throw new Error(`USB device ${this.target.slice(4)} has no bulk OUT endpoint`);
    let open = true;
    const onDisconnect = (ev: { device: unknown }) => {
      if (ev.device === dev && open) {
        open = false;
        h.closed(new Error('USB printer unplugged'));
      }
    };
    webusb.addEventListener('disconnect', onDisconnect);
    if (inp) {
      void (async () => {
        while (open) {
          try {
            const r = await dev.transferIn(inp.endpointNumber, 64);
            if (r.data && r.data.byteLength > 0) h.data(Buffer.from(r.data.buffer, r.data.byteOffset, r.data.byteLength));
          } catch (e) {
            if (open) {
              open = false;
              h.closed(e instanceof Error ? e : new Error(String(e)));
            }
          }
        }
      })();
    }
    return {
      write: async (data) => {
        const r = await dev.transferOut(out.endpointNumber, data);
        if (r.status !== 'ok') throw new Error(`USB transfer ${r.status}`);
      },
      close: async () => {
        open = false;
        webusb.removeEventListener('disconnect', onDisconnect);
        await dev.releaseInterface(iface.interfaceNumber).catch(() => undefined);
        await dev.close().catch(() => undefined);
      },
    };
  }
}
