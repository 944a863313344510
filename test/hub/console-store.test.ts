/**
 * The console's part of the hub store on both databases: the audit log
 * refuses changes; a catalog write keeps the last change of a row and one
 * history row for it; failed logins are counted per address, user and both;
 * sessions end by user.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_FILE } from '../../src/hub/store/sqlite-store';
import type { HubStore } from '../../src/hub/store/types';
import { STORE_KINDS, storeKit, type StoreKit } from './fixtures';

const by = { actor: 'tester', actorRole: 'hq-admin', source: '10.0.0.1', at: '2026-03-01T08:00:00.000Z' };

describe.each(STORE_KINDS)('the console store on %s', (kind) => {
  const open: Array<{ kit: StoreKit; store: HubStore | null }> = [];
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.store?.close();
      await o.kit.cleanup();
    }
  });
  const fresh = async () => {
    const kit = storeKit(kind);
    const store = await kit.open();
    open.push({ kit, store });
    return store;
  };

  it('keeps the audit log append-only', async () => {
    const store = await fresh();
    await store.transaction((tx) => tx.audit({ ...by, action: 'settings.update', target: 'settings:fleet', store: null, before: null, after: { missingAfterMinutes: 5 } }));
    const sneaky = async (sql: string) => {
      if (kind === 'sqlite') {
        const db = new Database(path.join(open[0]?.kit.dir as string, SQLITE_FILE));
        try {
          db.exec(sql);
        } finally {
          db.close();
        }
      } else {
        await (store as HubStore & { pool: pg.Pool }).pool.query(sql);
      }
    };
    await expect(sneaky("UPDATE audit_log SET actor = 'someone else'")).rejects.toThrow(/append-only/);
    await expect(sneaky('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect((await store.auditLog({ limit: 10 }))[0]).toMatchObject({ actor: 'tester', source: '10.0.0.1', after: { missingAfterMinutes: 5 } });
  });

  it('writes the last change of a row once, with one history row holding the first before and the last after', async () => {
    const store = await fresh();
    const p = (price: number) => ({ sku: 'A', name: 'a', barcodes: ['6901234567892'], plu: null, category: 'c', unit: 'u', price, memberPrice: null, vatRate: 1300, weighed: false, active: true });
    const v1 = await store.changeCatalog([{ kind: 'product', key: 'A', data: p(100) }], by);
    const v2 = await store.changeCatalog([{ kind: 'product', key: 'A', data: p(200) }, { kind: 'product', key: 'A', data: p(300) }], by);
    expect(v2).toBe(v1 + 1);
    expect((await store.catalogItem('product', 'A'))?.data).toMatchObject({ price: 300 });
    const history = await store.catalogHistory({ limit: 10 });
    expect(history.map((h) => [h.version, (h.before as { price: number } | null)?.price ?? null, (h.after as { price: number }).price])).toEqual([
      [v2, 100, 300],
      [v1, null, 100],
    ]);
    expect((await store.catalogDelta(v1)).changes).toHaveLength(1);
    const many = Array.from({ length: 450 }, (_, i) => ({ kind: 'member' as const, key: String(1000 + i), data: { code: String(1000 + i), name: 'm', active: true } }));
    const v3 = await store.changeCatalog(many, by);
    expect((await store.catalogHistory({ kind: 'member', limit: 500 })).length).toBe(450);
    expect((await store.auditLog({ limit: 1 }))[0]).toMatchObject({ target: `catalog:v${v3}`, after: { version: v3, rows: 450 } });
  });

  it('counts failed logins by address, by user and address, and by user, within the window', async () => {
    const store = await fresh();
    await store.addLoginFailure('ann', '10.0.0.1', '2026-03-01T08:00:00.000Z');
    await store.addLoginFailure('ann', '10.0.0.1', '2026-03-01T08:01:00.000Z');
    await store.addLoginFailure('bob', '10.0.0.1', '2026-03-01T08:02:00.000Z');
    await store.addLoginFailure('ann', '10.0.0.2', '2026-03-01T08:03:00.000Z');
    expect(await store.loginFailures('ann', '10.0.0.1', '2026-03-01T07:59:00.000Z')).toEqual({ source: 3, userSource: 2, user: 3 });
    expect(await store.loginFailures('ann', '10.0.0.1', '2026-03-01T08:00:30.000Z')).toEqual({ source: 2, userSource: 1, user: 2 });
    await store.clearLoginFailures('ann', '10.0.0.1');
    expect(await store.loginFailures('ann', '10.0.0.1', '2026-03-01T07:59:00.000Z')).toEqual({ source: 1, userSource: 0, user: 1 });
  });
});
