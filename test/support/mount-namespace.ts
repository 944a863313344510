/**
 * Runs a shell script in a private mount namespace (as non-root through a
 * user namespace), so a test can mount a small tmpfs (a full disk) or a
 * read-only bind mount without touching the machine. The script's last
 * stdout line is the JSON report of the child it ran.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');
export const isRoot = process.getuid?.() === 0;

/** Runs `script` (sh, with `arg` as $0) in a private mount namespace and parses its last line as JSON. */
export function inMountNamespace(script: string, arg: string): Record<string, unknown> {
  const r = spawnSync('unshare', [...(isRoot ? [] : ['--map-root-user']), '--mount', '--propagation', 'private', 'sh', '-c', script, arg], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (r.status !== 0) throw new Error(`the mount namespace run failed (status ${r.status}): ${r.error?.message ?? ''} ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, unknown>;
}

/** the shell command that runs test/fixtures/<dir>/<name>.ts under tsx on "$0" */
export const fixture = (name: string, dir = 'ledger') => `node --import tsx ${path.join(ROOT, 'test/fixtures', dir, `${name}.ts`)} "$0"`;
