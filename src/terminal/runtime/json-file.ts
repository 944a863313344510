/**
 * The small JSON files of a data directory (devices.json, terminal.json,
 * runtime-status.json): read without ever throwing for their content, and
 * written beside their final name, fsynced and renamed over it, mode 0600.
 */
import fs from 'node:fs';

export type JsonRead = { kind: 'missing' } | { kind: 'problem'; problem: string } | { kind: 'ok'; json: unknown };

/** the file's JSON, 'missing' when there is none, or a one-line problem naming the file */
export function readJsonFile(file: string): JsonRead {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'problem', problem: `${file}: cannot be read: ${e instanceof Error ? e.message : String(e)}` };
  }
  try {
    return { kind: 'ok', json: JSON.parse(text) as unknown };
  } catch (e) {
    return { kind: 'problem', problem: `${file}: not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export function writeJsonFile(file: string, value: unknown): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(tmp, 'w', 0o600);
  try {
    fs.writeSync(fd, JSON.stringify(value, null, 2) + '\n');
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.chmodSync(tmp, 0o600);
  fs.renameSync(tmp, file);
}
