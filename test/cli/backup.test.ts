import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyLedgerFile } from '../../src/ledger/index';
import { STACK_LINE, tempDirs } from '../fixtures/ledger/helpers';
import { till, tillProcess } from '../support/till';

const tmp = tempDirs('cli-backup');

describe('till backup', () => {
  it('writes a verified backup and keeps the newest N', async () => {
    const dir = path.join(tmp(), 'data');
    const to = tmp();
    await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample');
    const outs: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await till('backup', '--data', dir, '--to', to, '--keep', '2');
      expect(r.code).toBe(0);
      outs.push(r.out);
      await new Promise((res) => setTimeout(res, 5));
    }
    expect(outs[0]).toMatch(/^backed up 2 entries \(last hash [0-9a-f]{64}\) to .*till-S1-T1-\d{8}T\d{9}Z\.db, verified\n$/);
    expect(outs[2]).toMatch(/removed 1 older backup\(s\), keeping the newest 2\n$/);
    const files = fs.readdirSync(to);
    expect(files).toHaveLength(2);
    for (const f of files) expect((await verifyLedgerFile(path.join(to, f))).ok).toBe(true);
  });

  it('refuses bad options and a missing ledger with one line', async () => {
    expect((await till('backup', '--data', tmp(), '--to', tmp(), '--keep', 'many')).code).toBe(2);
    expect((await till('backup', '--data', tmp())).code).toBe(2);
    const r = await tillProcess('backup', '--data', path.join(tmp(), 'gone'), '--to', tmp());
    expect(r.code).toBe(3);
    expect(r.err).toMatch(/^till backup: there is no data directory at .*gone/);
    expect(r.err).not.toMatch(STACK_LINE);
  });
});
