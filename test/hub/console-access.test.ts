/**
 * Every route the hub lists in /api/openapi.json, tried by everyone: without
 * a session 401; by a role it does not name 403; by a store manager naming
 * another store 403; by a store manager for its own store and by an hq-admin
 * neither. The sample inputs are valid requests, so a refusal comes from the
 * access rules and not from validation; a route added without a sample fails
 * the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hubApi, pathOf, type Access, type RouteName } from '../../src/shared/hub-api/index';
import { PASSWORD, errorCode, startConsoleHub, type ConsoleClient, type ConsoleHub } from './console';
import { STORE_KINDS } from './fixtures';

const product = (sku: string, barcode: string) => ({ sku, name: `商品${sku}`, barcodes: [barcode], plu: null, category: 'drinks', unit: '瓶', price: 350, memberPrice: null, vatRate: 1300, weighed: false, active: true });
const settings = {
  storeName: '便利店',
  rounding: { unit: 'none', method: 'down' },
  embeddedLayouts: [],
  scaleLayout: null,
  discountLimits: { cashier: { percent: 1000, amount: 500 }, supervisor: { percent: 2000, amount: 2000 }, manager: { percent: 5000, amount: 10000 }, admin: { percent: 10000, amount: 100000 } },
  utcOffsetMinutes: 480,
};
const promotion = (id: string) => ({ id, name: '第二件半价', active: true, membersOnly: false, window: { from: null, to: null, dailyFromMinute: null, dailyToMinute: null }, kind: 'nth-off', items: { skus: ['COLA'], categories: [] }, n: 2, percentOff: 5000 });

interface Sample {
  params?: Record<string, string | number>;
  query?: Record<string, string>;
  body?: unknown;
}

/** a valid request for each route, naming `store` where the route names one */
const SAMPLES: Partial<Record<RouteName, (store: string) => Sample>> = {
  'system.health': () => ({}),
  'system.openapi': () => ({}),
  'terminal.enroll': () => ({ body: { code: 'ABCD-EFGH-JKMN', store: 'S9', terminal: 'T9' } }),
  'admin.status': () => ({}),
  'admin.catalog': () => ({ body: { changes: [{ kind: 'product', key: 'COLA', data: product('COLA', '6901234567892') }] } }),
  'admin.price': () => ({ body: { barcode: '6901234567892', price: 330 } }),
  'auth.login': () => ({ body: { user: 'analyst', password: PASSWORD } }),
  'auth.session': () => ({}),
  'auth.logout': () => ({}),
  'auth.password': () => ({ body: { current: PASSWORD, next: PASSWORD } }),
  'people.list': () => ({}),
  'people.add': () => ({ body: { name: 'newcomer', role: 'hq-analyst', stores: [], password: PASSWORD } }),
  'people.update': () => ({ params: { name: 'analyst' }, body: { displayName: '分析员' } }),
  'people.password': () => ({ params: { name: 'mgr2' }, body: { password: PASSWORD } }),
  'audit.list': () => ({ query: { limit: '5' } }),
  'fleet.stores': (s) => ({ query: { store: s } }),
  'fleet.terminals': (s) => ({ query: { store: s } }),
  'fleet.terminal': (s) => ({ params: { store: s, terminal: 'T1' } }),
  'fleet.revoke': (s) => ({ params: { store: s, terminal: 'X1' } }),
  'fleet.alerts': (s) => ({ query: { store: s } }),
  'fleet.enrollCodes': (s) => ({ query: { store: s } }),
  'fleet.issueEnrollCode': (s) => ({ body: { store: s, terminal: 'T5' } }),
  'fleet.cancelEnrollCodes': (s) => ({ params: { store: s, terminal: 'T5' } }),
  'fleet.settings': () => ({}),
  'fleet.updateSettings': () => ({ body: { missingAfterMinutes: 20 } }),
  'fleet.alertSettings': () => ({}),
  'fleet.updateAlertSettings': () => ({ body: { paperOutMinutes: 5 } }),
  'fleet.webhooks': () => ({}),
  'fleet.putWebhook': () => ({ params: { id: 'sample' }, body: { kind: 'generic', name: '样例', url: 'http://127.0.0.1/hook' } }),
  'fleet.deleteWebhook': () => ({ params: { id: 'sample-gone' } }),
  'fleet.testWebhook': () => ({ params: { id: 'sample-unknown' } }),
  'catalog.products': () => ({ query: { q: '商品' } }),
  'catalog.product': () => ({ params: { sku: 'COLA' } }),
  'catalog.putProduct': () => ({ params: { sku: 'TEA' }, body: product('TEA', '6901234567885') }),
  'catalog.deleteProduct': () => ({ params: { sku: 'GONE' } }),
  'catalog.addBarcode': () => ({ params: { sku: 'COLA' }, body: { barcode: '4006381333931' } }),
  'catalog.removeBarcode': () => ({ params: { sku: 'BC', barcode: '6920000000012' } }),
  'catalog.setPrice': () => ({ params: { sku: 'COLA' }, body: { price: 300 } }),
  'catalog.categories': () => ({}),
  'catalog.promotions': () => ({}),
  'catalog.putPromotion': () => ({ params: { id: 'P1' }, body: promotion('P1') }),
  'catalog.deletePromotion': () => ({ params: { id: 'PGONE' } }),
  'catalog.settings': () => ({}),
  'catalog.putSettings': () => ({ body: settings }),
  'catalog.payments': () => ({}),
  'catalog.putPayments': () => ({ params: { store: 'S01' }, body: { store: 'S01', mode: 'live', wechat: { appId: 'wx8888888888888888', mchId: '1900000109' } } }),
  'catalog.import': () => ({ body: { file: Buffer.from('条码,品名,售价\n6901234567854,绿茶,3.50\n').toString('base64'), dryRun: true } }),
  'catalog.history': () => ({ query: { kind: 'product' } }),
};

interface Op {
  name: RouteName;
  method: string;
  path: string;
  access: Access;
}

async function send(c: ConsoleClient, op: Op, s: Sample) {
  const qs = s.query ? `?${new URLSearchParams(s.query).toString()}` : '';
  return c.call(op.method, pathOf(op.path, s.params) + qs, s.body);
}

describe.each(STORE_KINDS)('every route of the OpenAPI document on %s', (kind) => {
  let h: ConsoleHub;
  let ops: Op[];

  beforeAll(async () => {
    h = await startConsoleHub(kind);
    const admin = await h.as('boss');
    const doc = (await admin.call('GET', '/api/openapi.json')).body as { paths: Record<string, Record<string, { operationId: RouteName; 'x-till-access': Access }>> };
    ops = Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => ({ name: op.operationId, method: m.toUpperCase(), path: p.replace(/\{(\w+)\}/g, ':$1'), access: op['x-till-access'] })));
    for (const [sku, code] of [['COLA', '6901234567892'], ['GONE', '6901234567861'], ['BC', '6920000000012']] as const) {
      expect((await admin.call('PUT', `/api/catalog/products/${sku}`, product(sku, code))).status).toBe(200);
    }
    for (const id of ['PGONE']) expect((await admin.call('PUT', `/api/catalog/promotions/${id}`, promotion(id))).status).toBe(200);
    await h.store.transaction((tx) => tx.upsertTerminal({ id: 'S1/X1', store: 'S1', terminal: 'X1', tokenHash: 'f'.repeat(64), enrolledAt: new Date().toISOString() }));
    await h.store.transaction((tx) => tx.upsertTerminal({ id: 'S2/X1', store: 'S2', terminal: 'X1', tokenHash: 'f'.repeat(64), enrolledAt: new Date().toISOString() }));
  });
  afterAll(async () => h.close());

  it('lists every route it serves, each with a sample here, and no route it does not serve', async () => {
    expect(ops.length).toBeGreaterThan(35);
    for (const op of ops) {
      expect(SAMPLES[op.name], `a sample request for ${op.name}`).toBeDefined();
      expect(hubApi[op.name].path).toBe(op.path);
    }
    const listed = new Set(ops.map((o) => o.name));
    const unserved = (Object.keys(hubApi) as RouteName[]).filter((n) => !listed.has(n));
    for (const n of unserved) {
      const r = hubApi[n];
      const sample = r.path.replace(/:(\w+)/g, (_, p: string) => (p === 'id' ? '1' : p === 'date' ? '2026-01-01' : 'S1'));
      const res = await (await h.as('boss')).call(r.method, sample);
      expect(res.status, `${n} is not served`).toBe(404);
    }
  });

  it('answers 401 to every non-public route without a session, and lets public ones through', async () => {
    const anonymous = h.client();
    for (const op of ops) {
      const s = (SAMPLES[op.name] as (store: string) => Sample)('S1');
      const r = await send(anonymous, op, s);
      if (op.access === 'public') expect(errorCode(r), op.name).not.toBe('unauthenticated');
      else {
        expect(r.status, op.name).toBe(401);
        expect(errorCode(r), op.name).toBe('unauthenticated');
      }
    }
    const forged = h.client({ cookie: 'till-session=forged-session-token' });
    for (const op of ops.filter((o) => o.access !== 'public')) expect((await send(forged, op, (SAMPLES[op.name] as (s: string) => Sample)('S1'))).status, op.name).toBe(401);
  });

  it('answers 403 to a role a route does not name and to a store manager naming another store', async () => {
    const analyst = await h.as('analyst');
    const mgr1 = await h.as('mgr1');
    let storeScoped = 0;
    for (const op of ops) {
      if (op.access === 'public' || op.access === 'session' || op.name === 'auth.logout') continue;
      const sample = SAMPLES[op.name] as (store: string) => Sample;
      for (const [who, c, role] of [['analyst', analyst, 'hq-analyst'], ['mgr1', mgr1, 'store-manager']] as const) {
        if (op.access.roles.includes(role)) continue;
        const r = await send(c, op, sample('S1'));
        expect(r.status, `${who} on ${op.name}`).toBe(403);
        expect(errorCode(r)).toBe('forbidden');
      }
      if (op.access.store && op.access.roles.includes('store-manager')) {
        storeScoped += 1;
        const r = await send(mgr1, op, sample('S2'));
        expect(r.status, `mgr1 on ${op.name} for S2`).toBe(403);
        expect(errorCode(r)).toBe('forbidden');
        const own = await send(mgr1, op, sample('S1'));
        expect([401, 403], `mgr1 on ${op.name} for S1: ${own.status} ${JSON.stringify(own.body)}`).not.toContain(own.status);
        expect(own.status, op.name).toBeLessThan(500);
      }
    }
    expect(storeScoped).toBeGreaterThanOrEqual(8);
  });

  it('serves every route to an hq-admin (a valid request is never refused by access)', async () => {
    const admin = await h.as('boss');
    for (const op of ops) {
      if (op.name === 'auth.logout') continue;
      const r = await send(admin, op, (SAMPLES[op.name] as (store: string) => Sample)('S2'));
      if (op.access === 'public') {
        expect(errorCode(r), op.name).not.toBe('unauthenticated');
        continue;
      }
      expect([401, 403], `${op.name}: ${r.status} ${JSON.stringify(r.body)}`).not.toContain(r.status);
      expect(r.status, `${op.name}: ${JSON.stringify(r.body)}`).toBeLessThan(500);
    }
    const mgrsOwn = await h.as('mgr1');
    const list = await mgrsOwn.call('GET', '/api/fleet/terminals');
    expect((list.body as { terminals: Array<{ store: string }> }).terminals.map((t) => t.store)).toEqual(['S1', 'S1']);
    const stores = await mgrsOwn.call('GET', '/api/stores');
    expect((stores.body as { stores: Array<{ store: string }> }).stores.map((s) => s.store)).toEqual(['S1']);
    const codes = await mgrsOwn.call('GET', '/api/fleet/enroll-codes');
    expect((codes.body as { codes: Array<{ store: string }> }).codes.every((c) => c.store === 'S1')).toBe(true);
  });
});
