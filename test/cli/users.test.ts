/** till users add|list|disable in-process: the first admin, PINs never echoed or journaled in clear, bad usage refused. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTerminal } from '../../src/terminal/index';
import { openLedger } from '../../src/ledger/index';
import { till } from '../support/till';

let dir: string;
beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'till-users-'));
  expect((await till('init', '--data', dir, '--store', 'S1', '--terminal', 'T1', '--no-sample')).code).toBe(0);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('till users', () => {
  it('adds the first admin and a cashier, lists them, disables one; the PIN never appears in output or journal', async () => {
    const add = await till('users', 'add', '--data', dir, '--code', '9001', '--name', '店长', '--role', 'admin', '--pin', '48213');
    expect(add).toMatchObject({ code: 0, out: 'saved user 9001 店长 (admin)\n' });
    expect((await till('users', 'add', '--data', dir, '--code', '1001', '--name', 'Ann', '--role', 'cashier', '--pin', '7730')).code).toBe(0);
    const list = await till('users', 'list', '--data', dir);
    expect(list.out).toMatch(/1001\s+cashier\s+active\s+Ann/);
    expect(list.out).toMatch(/9001\s+admin\s+active\s+店长/);
    expect((await till('users', 'disable', '--data', dir, '--code', '1001')).code).toBe(0);
    const json = JSON.parse((await till('users', 'list', '--data', dir, '--json')).out) as Array<{ code: string; active: boolean }>;
    expect(json.map((u) => [u.code, u.active])).toEqual([
      ['1001', false],
      ['9000', true],
      ['9001', true],
    ]);
    for (const r of [add, list]) expect(r.out + r.err).not.toMatch(/48213|7730/);
    const ledger = openLedger(dir, { readonly: true });
    try {
      const payloads = ledger.entries(1, 1000).map((e) => e.payload).join('\n');
      expect(payloads).not.toMatch(/48213|7730/);
    } finally {
      ledger.close();
    }
    const t = createTerminal({ dataDir: dir, log: () => undefined });
    try {
      expect(await t.dispatch('auth.login', { userCode: '9001', pin: '48213' }, {})).toMatchObject({ ok: true, value: { user: { role: 'admin' } } });
      expect(await t.dispatch('auth.login', { userCode: '1001', pin: '7730' }, {})).toMatchObject({ ok: false, error: { code: 'unauthenticated' } });
    } finally {
      t.close();
    }
  });

  it('reads the PIN from stdin (a real process) without echoing it', () => {
    const bin = path.resolve(import.meta.dirname, '../../bin/till.cjs');
    const r = spawnSync(process.execPath, [bin, 'users', 'add', '--data', dir, '--code', '9002', '--name', 'Boss', '--role', 'admin'], { input: '60917\n', encoding: 'utf8', timeout: 20_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain('60917');
    const bad = spawnSync(process.execPath, [bin, 'users', 'add', '--data', dir, '--code', '9003', '--name', 'Boss', '--role', 'admin'], { input: 'abc\n', encoding: 'utf8', timeout: 20_000 });
    expect(bad.status).toBe(2);
  });

  it('refuses bad usage with exit 2 and an unknown user with exit 3', async () => {
    expect((await till('users', 'add', '--data', dir, '--code', '12', '--name', 'x', '--role', 'admin', '--pin', '1234')).code).toBe(2);
    expect((await till('users', 'add', '--data', dir, '--code', '1234', '--name', 'x', '--role', 'boss', '--pin', '1234')).code).toBe(2);
    expect((await till('users', 'add', '--data', dir, '--code', '1234', '--name', 'x', '--role', 'admin', '--pin', '12')).code).toBe(2);
    expect((await till('users', 'remove', '--data', dir)).code).toBe(2);
    expect((await till('users', 'list')).code).toBe(2);
    const r = await till('users', 'disable', '--data', dir, '--code', '4444');
    expect(r).toMatchObject({ code: 3, err: expect.stringMatching(/no user 4444/) });
  });
});
