import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

async function lintAs(file: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'till/layers').map((m) => m.message);
}

describe('the layer rule', () => {
  it('refuses an upward import', async () => {
    expect(await lintAs('src/core/x.ts', "import { a } from '../ledger/journal';\nexport const b = a;\n")).toEqual([
      expect.stringMatching(/layer 'core' may not import layer 'ledger'/),
    ]);
  });
  it('keeps the renderer on shared only, with no Node and no electron', async () => {
    const msgs = await lintAs(
      'src/renderer/x.ts',
      "import fs from 'node:fs';\nimport { ipcRenderer } from 'electron';\nimport { t } from '../terminal/x';\nexport const z = [fs, ipcRenderer, t];\n",
    );
    expect(msgs).toHaveLength(3);
  });
  it('allows what the table allows', async () => {
    expect(await lintAs('src/terminal/x.ts', "import { a } from '../ledger/x';\nimport { b } from '../../drivers/x';\nexport const c = [a, b];\n")).toEqual([]);
    expect(await lintAs('src/hub/x.ts', "import { a } from '../core/x';\nexport const c = a;\n")).toEqual([]);
  });
  it('resolves a folder import to its layer', async () => {
    expect(await lintAs('src/terminal/x.ts', "import { a } from '../../drivers';\nexport const c = a;\n")).toEqual([]);
    expect(await lintAs('src/core/x.ts', "import { a } from '../../drivers';\nexport const c = a;\n")).toEqual([
      expect.stringMatching(/layer 'core' may not import layer 'drivers'/),
    ]);
    expect(await lintAs('src/core/x.ts', "import { a } from '../ledger';\nexport const c = a;\n")).toHaveLength(1);
  });
  it('keeps the hub away from the terminal ledger', async () => {
    expect(await lintAs('src/hub/x.ts', "import { a } from '../ledger/x';\nexport const c = a;\n")).toHaveLength(1);
  });
});
