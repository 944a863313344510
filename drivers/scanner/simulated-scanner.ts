/**
 * A simulated serial scanner: writes codes and their suffix into the far end
 * of a pty, as a real scanner writes into its cable. It can also send noise
 * and partial frames, which the driver must never take for a scan.
 */
import { PtyPeer } from '../transport/pty-peer';
import type { Suffix } from './frame-parser';

const SUFFIX: Record<Suffix, string> = { CR: '\r', LF: '\n', CRLF: '\r\n', none: '' };

export class SimulatedScanner {
  private constructor(private peer: PtyPeer, readonly suffix: Suffix) {}

  static async open(path: string, suffix: Suffix = 'CR'): Promise<SimulatedScanner> {
    return new SimulatedScanner(await PtyPeer.open(path), suffix);
  }

  get path(): string {
    return this.peer.path;
  }

  get plugged(): boolean {
    return this.peer.alive;
  }

  scan(code: string): Promise<void> {
    return this.peer.write(code + SUFFIX[this.suffix]);
  }

  sendRaw(bytes: Uint8Array | string): Promise<void> {
    return this.peer.write(bytes);
  }

  /** the cable is pulled: the port hangs up */
  unplug(): Promise<void> {
    return this.peer.close();
  }

  /** plugged back in at the same path */
  async replug(): Promise<void> {
    await this.peer.close();
    this.peer = await PtyPeer.open(this.peer.path);
  }

  close(): Promise<void> {
    return this.peer.close();
  }
}
