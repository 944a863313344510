/** In-process CLI runs for the hub and sync tests: captured output, a signal we send ourselves. */
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';

export interface Run {
  code: number;
  out: string;
  err: string;
}

export async function till(...argv: string[]): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), untilSignal: () => new Promise(() => undefined) };
  const code = await main(argv, io);
  return { code, out, err };
}

/** a long-running command (hub, terminal) in this process; stop() sends it the "signal" */
export function tillServe(...argv: string[]): { done: Promise<Run>; stop(): Promise<Run>; output(): string } {
  let out = '';
  let err = '';
  let signal: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (signal = r));
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), untilSignal: () => stopped };
  const done = main(argv, io).then((code) => ({ code, out, err }));
  return {
    done,
    stop: async () => {
      signal();
      return done;
    },
    output: () => out + err,
  };
}

export async function waitFor<T>(what: string, fn: () => T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export function hubUrlOf(dir: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'hub.json'), 'utf8')) as { url: string }).url;
  } catch {
    return null;
  }
}
