import type { CliIO } from '../../src/cli/io';

/** a CliIO that records output and stops a long-running command when stop() is called */
export function captureIO() {
  let out = '';
  let err = '';
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (stop = r));
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), untilSignal: () => stopped };
  return { io, stop, out: () => out, err: () => err };
}
