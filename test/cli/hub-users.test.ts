/** till hub users: add with the password on standard input (never echoed, only its argon2id hash kept), list, disable, enable, password; bad usage refused. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../src/hub/store/sqlite-store';
import { tempDir } from '../hub/fixtures';
import { tillWithSecret as till } from '../support/till';

const BIN = path.resolve(import.meta.dirname, '../../bin/till.cjs');
const SECRET = 'a long hub password';

let dir: string;
beforeEach(() => {
  dir = tempDir('hub-users');
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('till hub users', () => {
  it('adds a user from a real process reading the password from standard input, without echoing it', async () => {
    const r = spawnSync(process.execPath, [BIN, 'hub', 'users', 'add', '--data', dir, '--user', 'Boss', '--role', 'hq-admin'], { input: `${SECRET}\n`, encoding: 'utf8', timeout: 30_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe('added hub user boss (hq-admin)\n');
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const store = openSqliteStore(dir);
    try {
      const u = await store.user('boss');
      expect(u?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
      const audit = await store.auditLog({ limit: 5 });
      expect(audit[0]).toMatchObject({ action: 'user.add', target: 'user:boss', actor: expect.stringMatching(/^cli:/), after: { name: 'boss', role: 'hq-admin' } });
      expect(JSON.stringify(audit)).not.toContain(SECRET);
    } finally {
      await store.close();
    }
  });

  it('lists, disables, enables and resets users; refuses bad roles, missing stores and short passwords', async () => {
    expect((await till(SECRET, 'hub', 'users', 'add', '--data', dir, '--user', 'ann', '--role', 'store-manager', '--stores', 'S001,S002', '--display-name', '安娜')).out).toBe('added hub user ann (store-manager: S001, S002)\n');
    expect((await till(SECRET, 'hub', 'users', 'add', '--data', dir, '--user', 'boss', '--role', 'hq-admin')).code).toBe(0);
    const list = await till(null, 'hub', 'users', 'list', '--data', dir);
    expect(list.out).toMatch(/^ann\s+store-manager\s+active\s+S001,S002\s+安娜$/m);
    expect(list.out).toMatch(/^boss\s+hq-admin\s+active\s+\(all stores\)$/m);
    expect((await till(null, 'hub', 'users', 'disable', '--data', dir, '--user', 'ann')).out).toMatch(/disabled hub user ann/);
    const json = JSON.parse((await till(null, 'hub', 'users', 'list', '--data', dir, '--json')).out) as Array<{ name: string; disabled: boolean }>;
    expect(json.map((u) => [u.name, u.disabled])).toEqual([
      ['ann', true],
      ['boss', false],
    ]);
    expect((await till(null, 'hub', 'users', 'enable', '--data', dir, '--user', 'ann')).code).toBe(0);
    expect((await till('another long password', 'hub', 'users', 'password', '--data', dir, '--user', 'ann')).code).toBe(0);
    const lastAdmin = await till(null, 'hub', 'users', 'disable', '--data', dir, '--user', 'boss');
    expect(lastAdmin.code).toBe(3);
    expect((await till(SECRET, 'hub', 'users', 'add', '--data', dir, '--user', 'x1', '--role', 'boss')).code).toBe(2);
    expect((await till(SECRET, 'hub', 'users', 'add', '--data', dir, '--user', 'x2', '--role', 'store-manager')).code).toBe(2);
    expect((await till('short', 'hub', 'users', 'add', '--data', dir, '--user', 'x3', '--role', 'hq-analyst')).code).toBe(2);
    expect((await till(SECRET, 'hub', 'users', 'add', '--data', dir, '--user', 'ann', '--role', 'hq-analyst')).code).toBe(3);
    expect((await till(null, 'hub', 'users', 'disable', '--data', dir, '--user', 'nobody')).code).toBe(3);
    expect((await till(null, 'hub', 'users', 'add', '--data', dir, '--user', 'x4', '--role', 'hq-analyst')).code).toBe(2);
  });
});
