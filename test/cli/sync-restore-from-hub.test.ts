import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/ledger/index';
import { tempDir } from '../hub/fixtures';
import { hubUrlOf } from './sync-helpers';
import { till, tillServe } from '../support/till';
import { waitFor } from '../support/wait';

describe('till restore --from-hub', () => {
  const hubDir = tempDir('restore-hub');
  const oldDir = tempDir('restore-old');
  const newDir = path.join(tempDir('restore-new'), 'data');
  const hub = tillServe('hub', '--data', hubDir, '--port', '0');
  afterAll(async () => {
    await hub.stop();
    for (const d of [hubDir, oldDir, path.dirname(newDir)]) fs.rmSync(d, { recursive: true, force: true });
  });

  it("rebuilds a replaced terminal's ledger from the hub and continues its sequence", async () => {
    const url = await waitFor('the hub', () => hubUrlOf(hubDir));
    await till('init', '--data', oldDir, '--store', 'S7', '--terminal', 'T3');
    const code1 = (await till('hub', 'enroll-code', '--data', hubDir, '--store', 'S7', '--terminal', 'T3')).out.trim();
    expect((await till('enroll', '--data', oldDir, '--hub', url, '--code', code1)).code).toBe(0);
    const old = openLedger(oldDir);
    old.transaction(() => {
      for (let i = 0; i < 5000; i++) old.append('TestSale', { total: i + 1 });
    });
    const oldHead = old.head();
    old.close();
    expect((await till('sync', '--data', oldDir, '--until-idle')).code).toBe(0);
    const oldCredentials = fs.readFileSync(path.join(oldDir, 'hub-credentials.json'), 'utf8');

    const missing = await till('restore', '--from-hub', url, '--data', newDir);
    expect(missing.code).toBe(2);
    const wrongCode = await till('restore', '--from-hub', url, '--data', newDir, '--store', 'S7', '--terminal', 'T3', '--code', 'AAAA-BBBB-CCCC');
    expect(wrongCode).toMatchObject({ code: 3 });
    expect(wrongCode.err).toMatch(/unknown or was already used/);

    const code2 = (await till('hub', 'enroll-code', '--data', hubDir, '--store', 'S7', '--terminal', 'T3')).out.trim();
    const r = await till('restore', '--from-hub', url, '--data', newDir, '--store', 'S7', '--terminal', 'T3', '--code', code2);
    expect(r.err).toBe('');
    expect(r.out).toContain(`restored ${oldHead.seq} entries of S7/T3 from the hub (last hash ${oldHead.hash})`);
    expect((await till('verify', '--data', newDir)).code).toBe(0);

    const restored = openLedger(newDir);
    expect(restored.head()).toEqual(oldHead);
    const original = openLedger(oldDir, { readonly: true });
    expect(JSON.stringify(restored.entries(1, oldHead.seq))).toBe(JSON.stringify(original.entries(1, oldHead.seq)));
    original.close();
    const next = restored.append('TestSale', { total: 77 });
    restored.close();
    expect(next.seq).toBe(oldHead.seq + 1);
    const synced = await till('sync', '--data', newDir, '--until-idle', '--timeout', '20');
    expect(synced.out).toContain(`every entry up to ${oldHead.seq + 1}`);

    fs.writeFileSync(path.join(oldDir, 'hub-credentials.json'), oldCredentials);
    const stale = await till('sync', '--data', oldDir, '--until-idle', '--timeout', '10');
    expect(stale.code).toBe(1);
    expect(stale.err).toMatch(/unauthenticated/);

    const again = await till('restore', '--from-hub', url, '--data', newDir, '--store', 'S7', '--terminal', 'T3', '--code', code2);
    expect(again.err).toMatch(/already holds a ledger/);
  });
});
