/**
 * The dependency rules (lint/dependencies.mjs, dependency-cruiser through its
 * API) on small trees written to a temp folder whose node_modules links to the
 * project's: a package imported from a layer whose list lacks it fails (a
 * type-only import too), a layer importing upward fails, a cycle made only of
 * type imports fails, a Node built-in in a browser layer fails; what the
 * tables allow passes; and the project itself has no problem.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkDependencies } from '../../lint/dependencies.mjs';

const ROOT = path.resolve(__dirname, '../..');
const made: string[] = [];
afterAll(() => {
  for (const d of made) fs.rmSync(d, { recursive: true, force: true });
});

/** a tree of files (path -> source) next to a link to the project's node_modules */
function tree(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-deps-'));
  made.push(dir);
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

const check = async (files: Record<string, string>) => (await checkDependencies({ baseDir: tree(files), targets: ['src'] })).lines;

describe('the dependency rules', () => {
  it('fail a package imported from a layer whose list does not have it, type-only imports included', async () => {
    expect(
      await check({
        'src/core/a.ts': "import Database from 'better-sqlite3';\nexport const a = Database;\n",
        'src/renderer/b.ts': "import type { SerialPort } from 'serialport';\nexport type B = SerialPort;\n",
        'src/shared/c.ts': "import { Pool } from 'pg';\nexport const c = Pool;\n",
      }),
    ).toEqual(['packages-core: src/core/a.ts -> better-sqlite3', 'packages-renderer: src/renderer/b.ts -> serialport', 'packages-shared: src/shared/c.ts -> pg']);
  });

  it('pass the packages a layer lists', async () => {
    expect(
      await check({
        'src/ledger/a.ts': "import Database from 'better-sqlite3';\nexport const a = Database;\n",
        'src/shared/b.ts': "import { z } from 'zod';\nexport const b = z.string();\n",
      }),
    ).toEqual([]);
  });

  it('fail an upward import and a Node built-in in a browser layer', async () => {
    expect(
      await check({
        'src/core/a.ts': "import { b } from '../ledger/b';\nexport const a = b;\n",
        'src/ledger/b.ts': 'export const b = 1;\n',
        'src/renderer/c.ts': "import fs from 'node:fs';\nexport const c = fs;\n",
      }),
    ).toEqual(['layer-core: src/core/a.ts -> src/ledger/b.ts', 'node-renderer: src/renderer/c.ts -> fs']);
  });

  it('fail a cycle made only of type imports', async () => {
    expect(
      await check({
        'src/terminal/a.ts': "import type { B } from './b';\nexport interface A { b: B }\n",
        'src/terminal/b.ts': "import type { A } from './a';\nexport interface B { a: A | null }\n",
      }),
    ).toEqual(expect.arrayContaining([expect.stringMatching(/^no-cycle: src\/terminal\/(a|b)\.ts -> /)]));
  });

  it('fail an import that resolves to nothing', async () => {
    expect(await check({ 'src/core/a.ts': "import { x } from './missing';\nexport const a = x;\n" })).toEqual(['not-to-unresolvable: src/core/a.ts -> ./missing']);
  });

  it('find no problem in the project', async () => {
    const r = await checkDependencies();
    expect(r.lines).toEqual([]);
    expect(r.modules).toBeGreaterThan(150);
  });
});
