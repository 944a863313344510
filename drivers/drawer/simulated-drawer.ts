/**
 * A simulated serial drawer (kick box) on the far end of a pty: ESC p opens
 * it, DLE EOT 1 is answered with the switch on bit 2 (low = open), close()
 * is the cashier pushing it shut.
 */
import { Emitter } from '../transport/emitter';
import { PtyPeer } from '../transport/pty-peer';
import { statusBytes } from '../printer/status';

export class SimulatedDrawer extends Emitter<{ state: 'open' | 'closed' }> {
  private isOpen = false;
  private pending: number[] = [];
  kicks = 0;

  private constructor(private readonly peer: PtyPeer, private readonly autoCloseMs?: number) {
    super();
    peer.on('data', (d) => this.onData(d));
  }

  static async open(path: string, autoCloseMs?: number): Promise<SimulatedDrawer> {
    return new SimulatedDrawer(await PtyPeer.open(path), autoCloseMs);
  }

  get path(): string {
    return this.peer.path;
  }

  get opened(): boolean {
    return this.isOpen;
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.emit('state', 'closed');
  }

  unplug(): Promise<void> {
    return this.peer.close();
  }

  private onData(d: Buffer): void {
    this.pending.push(...d);
    for (;;) {
      const i = this.pending.findIndex((b) => b === 0x1b || b === 0x10);
      if (i < 0) {
        this.pending = [];
        return;
      }
      this.pending.splice(0, i);
      if (this.pending[0] === 0x1b) {
        if (this.pending.length < 5) return;
        if (this.pending[1] === 0x70) {
          this.kicks++;
          if (!this.isOpen) {
            this.isOpen = true;
            this.emit('state', 'open');
          }
          if (this.autoCloseMs !== undefined) setTimeout(() => this.close(), this.autoCloseMs).unref();
          this.pending.splice(0, 5);
        } else this.pending.splice(0, 1);
      } else {
        if (this.pending.length < 3) return;
        if (this.pending[1] === 0x04 && this.pending[2] === 1) void this.peer.write(Buffer.from([statusBytes({ drawerPinHigh: !this.isOpen })[0]]));
        this.pending.splice(0, 3);
      }
    }
  }
}
