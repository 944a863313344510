import { spawn } from 'node:child_process';
import path from 'node:path';
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

export async function waitFor<T>(what: string, fn: () => T | null | undefined | false, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const ROOT = path.resolve(import.meta.dirname, '../..');

/** runs `node bin/till.cjs ...` as a real process */
export function tillProcess(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/till.cjs'), ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const done = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, done, out: () => out, err: () => err };
}
