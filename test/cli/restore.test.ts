import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger, verifyLedger } from '../../src/ledger/index';
import { killHard, startFixture, tempDirs, waitForLine } from '../fixtures/ledger/helpers';
import { till } from '../support/till';

const tmp = tempDirs('cli-restore');

async function backupOf(dir: string): Promise<string> {
  const r = await till('backup', '--data', dir, '--to', tmp());
  const m = / to (.*\.db), verified/.exec(r.out);
  if (!m) throw new Error(`no backup: ${r.err}`);
  return m[1] as string;
}

describe('till restore', () => {
  it('refuses a newer ledger without --force and replaces it with --force', async () => {
    const dir = path.join(tmp(), 'data');
    await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample');
    const file = await backupOf(dir);
    const ledger = openLedger(dir);
    ledger.append('Sale', { total: 1 });
    ledger.close();
    const refused = await till('restore', '--from', file, '--data', dir);
    expect(refused.code).toBe(3);
    expect(refused.err).toBe(`till restore: the ledger in ${dir} is newer than the backup (seq 3 > 2); restoring would lose 1 entry; pass --force to replace it anyway\n`);
    const forced = await till('restore', '--from', file, '--data', dir, '--force');
    expect(forced.code).toBe(0);
    expect(forced.out).toMatch(new RegExp(`^restored 2 entries of store S1 terminal T1 \\(last hash [0-9a-f]{64}\\) into ${dir}\\nthe previous ledger was kept as ${dir}/ledger\\.db\\.replaced-\\d{8}T\\d{9}Z\\n$`));
    expect(await verifyLedger(dir)).toMatchObject({ ok: true, entries: 2 });
  });

  it('refuses to overwrite a running terminal', async () => {
    const dir = path.join(tmp(), 'data');
    await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample');
    const file = await backupOf(dir);
    const child = startFixture('holder', [dir]);
    try {
      await waitForLine(child, 'ready');
      const r = await till('restore', '--from', file, '--data', dir, '--force');
      expect(r.code).toBe(3);
      expect(r.err).toMatch(new RegExp(`^till restore: this terminal is already running \\(pid ${child.pid}\\)`));
    } finally {
      await killHard(child);
    }
  });

  it('usage errors exit 2', async () => {
    expect((await till('restore', '--data', tmp())).code).toBe(2);
  });
});
