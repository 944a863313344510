/** Where a hub started by a test listens (its hub.json). */
import fs from 'node:fs';
import path from 'node:path';

export function hubUrlOf(dir: string): string | null {
  try {
    return (JSON.parse(fs.readFileSync(path.join(dir, 'hub.json'), 'utf8')) as { url: string }).url;
  } catch {
    return null;
  }
}
