/** A simulated 2x20 display on the far end of a pty: what the driver writes is decoded to a screen. */
import { Emitter } from '../transport/emitter';
import { PtyPeer } from '../transport/pty-peer';
import { DisplayDecoder, type DisplayScreen } from './display-decoder';

export class SimulatedDisplay extends Emitter<{ screen: DisplayScreen }> {
  private readonly decoder = new DisplayDecoder();

  private constructor(private readonly peer: PtyPeer) {
    super();
    peer.on('data', (d) => {
      this.decoder.push(d);
      this.emit('screen', this.decoder.screen);
    });
  }

  static async open(path: string): Promise<SimulatedDisplay> {
    return new SimulatedDisplay(await PtyPeer.open(path));
  }

  get path(): string {
    return this.peer.path;
  }

  get screen(): DisplayScreen {
    return this.decoder.screen;
  }

  unplug(): Promise<void> {
    return this.peer.close();
  }
}
