import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openLedger, verifyLedger } from '../../src/ledger/index';
import { tempDirs } from '../fixtures/ledger/helpers';
import { till } from '../support/till';

const tmp = tempDirs('cli-init');

describe('till init', () => {
  it('creates and migrates a ledger bound to the store and terminal', async () => {
    const dir = path.join(tmp(), 'new', 'data');
    const r = await till('init', '--data', dir, '--store', 'SH01', '--terminal', '03', '--no-sample');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out.split('\n')[0]).toBe(`created the ledger of store SH01 terminal 03 in ${dir}`);
    expect(await verifyLedger(dir)).toMatchObject({ ok: true, firstBad: null });
    expect(fs.readdirSync(dir).filter((f) => f.includes('lock') || f.includes('creating'))).toEqual([]);
    const ledger = openLedger(dir, { readonly: true });
    expect(ledger.identity).toEqual({ store: 'SH01', terminal: '03' });
    ledger.close();
  });

  it('refuses an existing ledger and leaves it untouched', async () => {
    const dir = path.join(tmp(), 'data');
    await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample');
    const before = fs.readFileSync(path.join(dir, 'ledger.db'));
    const r = await till('init', '--data', dir, '--store', 'S2', '--terminal', 'T2');
    expect(r.code).toBe(3);
    expect(r.err).toBe(`till init: ${dir} already holds a ledger; choose an empty directory (or use till restore)\n`);
    expect(fs.readFileSync(path.join(dir, 'ledger.db')).equals(before)).toBe(true);
  });

  it('refuses bad codes and missing options as usage errors', async () => {
    const dir = path.join(tmp(), 'data');
    const bad = await till('init', '--data', dir, '--store', 'S-1', '--terminal', 'T1');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^till init: the store code must be 1 to 12 letters or digits \(got 'S-1'\)\nusage: till init/);
    expect((await till('init', '--data', dir, '--store', 'S1', '--terminal', 'TERMINAL00001')).code).toBe(2);
    expect((await till('init', '--data', dir)).code).toBe(2);
    expect(fs.existsSync(dir)).toBe(false);
  });
});
