/**
 * The catalog from the console: a product edit reaches a connected terminal
 * as the next delta; a barcode of another product or with a bad check digit
 * is refused and nothing is written; barcodes added (UPC-A normalised) and
 * removed; the list filters and pages; a GBK CSV import with bad rows gives
 * its report, writes nothing on a dry run and one version otherwise; every
 * change has its history (before, after, who) and audit entry, with PIN
 * hashes never shown.
 */
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Product } from '../../src/shared/contract/catalog';
import type { CatalogPullAck } from '../../src/shared/replication';
import { ADMIN_TOKEN, errorCode, startConsoleHub, type ConsoleClient, type ConsoleHub } from './console';
import { connectTerminal } from './client';
import { STORE_KINDS } from './fixtures';

const product = (sku: string, barcodes: string[], o: Partial<Product> = {}): Product => ({ sku, name: `商品${sku}`, barcodes, plu: null, category: 'drinks', unit: '瓶', price: 350, memberPrice: null, vatRate: 1300, weighed: false, active: true, ...o });

describe.each(STORE_KINDS)('the catalog on %s', (kind) => {
  let h: ConsoleHub;
  let admin: ConsoleClient;
  beforeAll(async () => {
    h = await startConsoleHub(kind);
    admin = await h.as('boss');
  });
  afterAll(async () => h.close());

  it('puts a product that a connected terminal pulls as its next delta, with history and audit', async () => {
    const t = await connectTerminal(h.hub.url, { terminalId: 'S1/T1', token: h.tokens['S1/T1'] });
    const changed = new Promise<{ version: number }>((r) => t.socket.once('catalog:changed', r));
    const put = await admin.call('PUT', '/api/catalog/products/MILK', product('MILK', ['6901234567700']));
    expect(put.status).toBe(200);
    const { version } = await changed;
    expect(put.body).toMatchObject({ version, product: { sku: 'MILK' } });
    const pulled = await t.call<CatalogPullAck>('catalog:pull', { since: version - 1 });
    expect(pulled.ok && pulled.delta.products.map((p) => p.sku)).toEqual(['MILK']);
    const priced = await admin.call('PUT', '/api/catalog/products/MILK/price', { price: 420, memberPrice: 399 });
    expect(priced.body).toMatchObject({ product: { price: 420, memberPrice: 399 } });
    const history = (await admin.call('GET', '/api/catalog/history?kind=product&key=MILK')).body as { changes: Array<{ actor: string; before: Product | null; after: Product | null; version: number }> };
    expect(history.changes.map((c) => [c.actor, c.before?.price ?? null, c.after?.price])).toEqual([
      ['boss', 350, 420],
      ['boss', null, 350],
    ]);
    const audit = (await admin.call('GET', '/api/audit?target=product%3AMILK')).body as { entries: Array<{ action: string; before: { price: number } | null; after: { price: number } }> };
    expect(audit.entries.map((e) => [e.action, e.before?.price ?? null, e.after.price])).toEqual([
      ['catalog.change', 350, 420],
      ['catalog.change', null, 350],
    ]);
    t.close();
  });

  it('refuses a barcode of another product, or with a bad check digit, and writes nothing', async () => {
    expect((await admin.call('PUT', '/api/catalog/products/JUICE', product('JUICE', ['6901234567717']))).status).toBe(200);
    const version = await h.store.catalogVersion();
    const taken = await admin.call('PUT', '/api/catalog/products/WATER', product('WATER', ['6901234567717']));
    expect([taken.status, errorCode(taken)]).toEqual([409, 'conflict']);
    const checksum = await admin.call('PUT', '/api/catalog/products/WATER', product('WATER', ['6901234567718']));
    expect(checksum.status).toBe(400);
    expect((checksum.body as { error: { details: { issues: Array<{ path: string }> } } }).error.details.issues).toEqual([{ path: 'body.barcodes.0', code: 'invalid_format' }]);
    const addTaken = await admin.call('POST', '/api/catalog/products/MILK/barcodes', { barcode: '6901234567717' });
    expect(addTaken.status).toBe(409);
    expect(await h.store.catalogVersion()).toBe(version);
    expect(await h.store.catalogItem('product', 'WATER')).toBeNull();
    const mismatch = await admin.call('PUT', '/api/catalog/products/WATER', product('OTHER', ['6901234567854']));
    expect(mismatch.status).toBe(400);
  });

  it('adds a UPC-A barcode as its 13-digit form and removes it again', async () => {
    expect((await admin.call('PUT', '/api/catalog/products/SODA', product('SODA', ['6901234567861']))).status).toBe(200);
    const added = await admin.call('POST', '/api/catalog/products/SODA/barcodes', { barcode: '036000291452' });
    expect(added.body).toMatchObject({ product: { barcodes: ['6901234567861', '0036000291452'] } });
    const again = await admin.call('POST', '/api/catalog/products/SODA/barcodes', { barcode: '0036000291452' });
    expect(again.status).toBe(409);
    const removed = await admin.call('DELETE', '/api/catalog/products/SODA/barcodes/036000291452');
    expect(removed.body).toMatchObject({ product: { barcodes: ['6901234567861'] } });
    expect((await admin.call('DELETE', '/api/catalog/products/SODA/barcodes/036000291452')).status).toBe(404);
  });

  it('lists products by name, barcode fragment, category and active, a page at a time', async () => {
    for (const [sku, code, o] of [
      ['L1', '6901234567885', { name: '乌龙茶', category: 'tea' }],
      ['L2', '6901234567854', { name: '绿茶', category: 'tea' }],
      ['L3', '6920000000012', { name: '红茶', category: 'tea', active: false }],
    ] as const) {
      expect((await admin.call('PUT', `/api/catalog/products/${sku}`, product(sku, [code], o))).status).toBe(200);
    }
    const list = async (qs: string) => ((await admin.call('GET', `/api/catalog/products?${qs}`)).body as { products: Product[]; next: string | null });
    expect((await list('q=%E8%8C%B6')).products.map((p) => p.sku)).toEqual(['L1', 'L2', 'L3']);
    expect((await list('q=67885')).products.map((p) => p.sku)).toEqual(['L1']);
    expect((await list('category=tea&active=true')).products.map((p) => p.sku)).toEqual(['L1', 'L2']);
    expect((await list('category=tea&active=false')).products.map((p) => p.sku)).toEqual(['L3']);
    const first = await list('category=tea&limit=2');
    expect([first.products.map((p) => p.sku), first.next]).toEqual([['L1', 'L2'], 'L2']);
    const second = await list('category=tea&limit=2&after=L2');
    expect([second.products.map((p) => p.sku), second.next]).toEqual([['L3'], null]);
    expect((await list('q=50%25')).products).toEqual([]);
    const categories = (await admin.call('GET', '/api/catalog/categories')).body as { categories: Array<{ name: string; products: number }> };
    expect(categories.categories.find((c) => c.name === 'tea')).toEqual({ name: 'tea', products: 2 });
    const mgr = await h.as('mgr1');
    expect((await mgr.call('GET', '/api/catalog/products/L1')).body).toMatchObject({ product: { name: '乌龙茶' } });
    expect((await mgr.call('PUT', '/api/catalog/products/L1/price', { price: 1 })).status).toBe(403);
  });

  it("imports a GBK CSV: the dry run reports bad rows and writes nothing, the real run writes the good rows as one version", async () => {
    const csv = ['商品条码,商品名称,零售价,类别', '6901234567731,矿泉水,2.00,饮料', '6901234567732,坏条码,3.00,饮料', '6901234567748,,4.00,饮料', '6901234567755,面包,5.50,食品'].join('\r\n');
    const file = iconv.encode(csv, 'gbk').toString('base64');
    const version = await h.store.catalogVersion();
    const dry = await admin.call('POST', '/api/catalog/import', { file, dryRun: true });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ encoding: 'gbk', encodingDetected: true, rows: 4, accepted: 2, dryRun: true, written: null });
    expect((dry.body as { rejected: Array<{ row: number }> }).rejected.map((r) => r.row)).toEqual([3, 4]);
    expect(await h.store.catalogVersion()).toBe(version);
    const real = await admin.call('POST', '/api/catalog/import', { file, dryRun: false });
    expect(real.body).toMatchObject({ accepted: 2, written: { version: version + 1, products: 2 } });
    expect((await h.store.catalogItem('product', '6901234567755'))?.data).toMatchObject({ name: '面包', price: 550, category: '食品' });
    const audit = (await admin.call('GET', '/api/audit?action=catalog.import')).body as { entries: Array<{ target: string; after: { rows: number } }> };
    expect(audit.entries[0]).toMatchObject({ target: `catalog:v${version + 1}`, after: { rows: 2 } });
    const noHeader = await admin.call('POST', '/api/catalog/import', { file: Buffer.from('a,b\n1,2\n').toString('base64'), dryRun: true });
    expect([noHeader.status, errorCode(noHeader)]).toEqual([400, 'bad-input']);
  });

  it('records the admin API\'s changes as by the admin token, and never shows a PIN or its credential in history or audit', async () => {
    const bearer = h.client({ authorization: `Bearer ${ADMIN_TOKEN}` });
    const r = await bearer.call('POST', '/api/catalog', { changes: [{ kind: 'user', key: '1001', data: { code: '1001', name: '收银员', role: 'cashier', pin: '4821', active: true } }] });
    expect(r.status).toBe(200);
    const credential = (await h.store.catalogItem('user', '1001'))?.data?.pinHash as string;
    expect(credential.length).toBeGreaterThan(20);
    const history = await admin.call('GET', '/api/catalog/history?kind=user');
    expect((history.body as { changes: Array<{ actor: string; after: Record<string, unknown> }> }).changes[0]).toMatchObject({ actor: 'admin-token', after: { code: '1001', name: '收银员' } });
    const audit = await admin.call('GET', '/api/audit?actor=admin-token');
    const shown = JSON.stringify(history.body) + JSON.stringify(audit.body);
    expect(shown).not.toContain(credential);
    expect(shown).not.toMatch(/4821|pinHash/);
    expect(JSON.stringify(audit.body)).toContain('user:1001');
  });

  it('keeps promotions and the selling settings, each change a version', async () => {
    const promo = { id: 'HALF', name: '第二件半价', active: true, membersOnly: false, window: { from: null, to: null, dailyFromMinute: null, dailyToMinute: null }, kind: 'nth-off', items: { skus: ['MILK'], categories: [] }, n: 2, percentOff: 5000 };
    expect((await admin.call('PUT', '/api/catalog/promotions/HALF', promo)).status).toBe(200);
    expect(((await admin.call('GET', '/api/catalog/promotions')).body as { promotions: Array<{ id: string }> }).promotions.map((p) => p.id)).toContain('HALF');
    expect((await admin.call('DELETE', '/api/catalog/promotions/HALF')).status).toBe(200);
    expect((await admin.call('DELETE', '/api/catalog/promotions/HALF')).status).toBe(404);
    const settings = {
      storeName: '好邻居',
      rounding: { unit: 'jiao', method: 'down' },
      embeddedLayouts: [],
      scaleLayout: null,
      discountLimits: { cashier: { percent: 1000, amount: 500 }, supervisor: { percent: 2000, amount: 2000 }, manager: { percent: 5000, amount: 10000 }, admin: { percent: 10000, amount: 100000 } },
      utcOffsetMinutes: 480,
    };
    const put = await admin.call('PUT', '/api/catalog/settings', settings);
    expect(put.status).toBe(200);
    expect((await admin.call('GET', '/api/catalog/settings')).body).toEqual({ version: (put.body as { version: number }).version, settings });
  });

  it("sets a store's payment codes (no key can be given) that its terminal pulls in the signed delta, with history", async () => {
    const t = await connectTerminal(h.hub.url, { terminalId: 'S1/T1', token: h.tokens['S1/T1'] });
    const row = { store: 'S1', mode: 'live', timeoutSeconds: 30, wechat: { appId: 'wx8888888888888888', mchId: '1900000109', subMchId: '1900000110' }, alipay: null };
    const put = await admin.call('PUT', '/api/catalog/payments/S1', row);
    expect(put.status).toBe(200);
    const { version } = put.body as { version: number };
    const pulled = await t.call<CatalogPullAck>('catalog:pull', { since: version - 1 });
    expect(pulled.ok && pulled.delta.payments).toEqual([row]);
    expect((await admin.call('GET', '/api/catalog/payments')).body).toEqual({ version, payments: [row] });
    const secret = await admin.call('PUT', '/api/catalog/payments/S1', { ...row, wechat: { ...row.wechat, apiKey: '192006250b4c09247ec02edce69f6a2d' } });
    expect(secret.status).toBe(400);
    expect(JSON.stringify(secret.body)).not.toContain('192006250b4c09247ec02edce69f6a2d');
    expect((await admin.call('PUT', '/api/catalog/payments/S2', row)).status).toBe(400);
    const history = (await admin.call('GET', '/api/catalog/history?kind=payments&key=S1')).body as { changes: Array<{ actor: string; after: unknown }> };
    expect(history.changes).toEqual([expect.objectContaining({ actor: 'boss', after: row })]);
    t.close();
  });
});
