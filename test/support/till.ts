/**
 * The `till` command in tests, one helper per way of running it:
 * - till(...args): in this process, to its end (a serving command such as
 *   `till hub` gets its stop signal at once);
 * - tillServe(...args): a serving command in this process, stopped by stop();
 * - tillProcess(...args): `node bin/till.cjs` as a real process, to its exit;
 * - spawnTill(args): a real process left running (for signals and kill -9).
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import path from 'node:path';
import { main } from '../../src/cli/main';
import type { CliIO } from '../../src/cli/io';

const ROOT = path.resolve(__dirname, '../..');

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function till(...args: string[]): Promise<CliRun> {
  return tillWithSecret(null, ...args);
}

/** till(...args) with `secret` as what the command reads from standard input (null: no standard input) */
export async function tillWithSecret(secret: string | null, ...args: string[]): Promise<CliRun> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), untilSignal: () => Promise.resolve(), ...(secret === null ? {} : { secret: async () => secret }) };
  const code = await main(args, io);
  return { code, out, err };
}

export function tillServe(...args: string[]): { done: Promise<CliRun>; stop(): Promise<CliRun>; output(): string } {
  let out = '';
  let err = '';
  let signal: () => void = () => undefined;
  const stopped = new Promise<void>((r) => (signal = r));
  const io: CliIO = { out: (t) => void (out += t), err: (t) => void (err += t), untilSignal: () => stopped };
  const done = main(args, io).then((code) => ({ code, out, err }));
  return {
    done,
    stop: async () => {
      signal();
      return done;
    },
    output: () => out + err,
  };
}

export interface TillChild {
  child: ChildProcessWithoutNullStreams;
  /** the exit code (null after a signal) */
  done: Promise<number | null>;
  out(): string;
  err(): string;
  /** stdout and stderr as they arrived */
  output(): string;
}

export function spawnTill(args: string[], env: NodeJS.ProcessEnv = process.env): TillChild {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/till.cjs'), ...args], { cwd: ROOT, env });
  let out = '';
  let err = '';
  let both = '';
  child.stdout.on('data', (d: Buffer) => ((out += d.toString()), (both += d.toString())));
  child.stderr.on('data', (d: Buffer) => ((err += d.toString()), (both += d.toString())));
  const done = new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  return { child, done, out: () => out, err: () => err, output: () => both };
}

export async function tillProcess(...args: string[]): Promise<CliRun> {
  const p = spawnTill(args);
  const code = await p.done;
  return { code: code ?? -1, out: p.out(), err: p.err() };
}
