/**
 * fsync of a file's data and of a directory's entries, for the
 * write-beside-then-rename steps (create, backup, restore): the rename is
 * durable only once the directory itself is synced.
 */
import fs from 'node:fs';

export function fsyncFile(file: string): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export function fsyncDir(dir: string): void {
  // Windows cannot open a directory for fsync; NTFS makes the rename durable through its own journal.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
