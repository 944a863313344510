/** The chain's catalog from the console: products, barcodes, prices, promotions, settings, CSV import, history. */
import { storePaymentsSchema, type Product, type Promotion, type StoreSettings } from '../../../shared/contract/catalog';
import { addBarcode, importCsv, putProduct, putPromotion, putSettings, putStorePayments, removeBarcode, removeProduct, removePromotion, setPrice } from '../../catalog-edit';
import { redactCatalogData } from '../../store/console-store';
import { ApiError } from '../errors';
import type { RouteDeps } from './deps';

export function serveCatalog(d: RouteDeps): void {
  const { http, store } = d;
  const changed = <T extends { version: number }>(r: T): T => {
    d.events.catalogChanged(r.version);
    return r;
  };

  http.serve('catalog.products', async ({ query }) => {
    const rows = await store.products({ q: query.q, category: query.category, active: query.active, after: query.after, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    return { version: await store.catalogVersion(), products: page.map((r) => r.data as Product), next: rows.length > query.limit ? (page.at(-1)?.key ?? null) : null };
  });

  http.serve('catalog.product', async ({ params }) => {
    const item = await store.catalogItem('product', params.sku);
    if (!item || item.data === null) throw new ApiError('not-found', `no product ${params.sku}`);
    return { product: item.data as Product, version: item.version };
  });

  http.serve('catalog.putProduct', async ({ params, body, by }) => {
    if (body.sku !== params.sku) throw new ApiError('bad-input', `SKU ${body.sku} in the body, ${params.sku} in the path`, { issues: [{ path: 'body.sku', code: 'custom' }] });
    return changed(await putProduct(store, body, by));
  });

  http.serve('catalog.deleteProduct', async ({ params, by }) => changed({ version: await removeProduct(store, params.sku, by) }));

  http.serve('catalog.addBarcode', async ({ params, body, by }) => changed(await addBarcode(store, params.sku, body.barcode, by)));

  http.serve('catalog.removeBarcode', async ({ params, by }) => changed(await removeBarcode(store, params.sku, params.barcode, by)));

  http.serve('catalog.setPrice', async ({ params, body, by }) => changed(await setPrice(store, params.sku, body.price, body.memberPrice, by)));

  http.serve('catalog.categories', async () => ({ categories: await store.categories() }));

  http.serve('catalog.promotions', async () => ({ version: await store.catalogVersion(), promotions: (await store.catalogItems('promotion')).map((c) => c.data as Promotion) }));

  http.serve('catalog.putPromotion', async ({ params, body, by }) => {
    if (body.id !== params.id) throw new ApiError('bad-input', `promotion ${body.id} in the body, ${params.id} in the path`, { issues: [{ path: 'body.id', code: 'custom' }] });
    return changed({ version: await putPromotion(store, body, by) });
  });

  http.serve('catalog.deletePromotion', async ({ params, by }) => changed({ version: await removePromotion(store, params.id, by) }));

  http.serve('catalog.settings', async () => {
    const item = await store.catalogItem('settings', 'store');
    return { version: await store.catalogVersion(), settings: (item?.data as StoreSettings | null | undefined) ?? null };
  });

  http.serve('catalog.putSettings', async ({ body, by }) => changed({ version: await putSettings(store, body, by) }));

  http.serve('catalog.payments', async () => ({
    version: await store.catalogVersion(),
    payments: (await store.catalogItems('payments')).map((c) => storePaymentsSchema.parse(c.data)),
  }));

  http.serve('catalog.putPayments', async ({ params, body, by }) => {
    if (body.store !== params.store) throw new ApiError('bad-input', `store ${body.store} in the body, ${params.store} in the path`, { issues: [{ path: 'body.store', code: 'custom' }] });
    return changed({ version: await putStorePayments(store, body, by) });
  });

  http.serve('catalog.import', async ({ body, by }) => {
    const file = Buffer.from(body.file, 'base64');
    if (file.length === 0) throw new ApiError('bad-input', 'the file is empty or not base64', { issues: [{ path: 'body.file', code: 'custom' }] });
    const report = await importCsv(store, { file, encoding: body.encoding, map: body.map, dryRun: body.dryRun }, by);
    if (report.written) d.events.catalogChanged(report.written.version);
    return report;
  });

  http.serve('catalog.history', async ({ query }) => {
    const rows = await store.catalogHistory(query);
    return { changes: rows.map((r) => ({ ...r, before: redactCatalogData(r.before), after: redactCatalogData(r.after) })), next: rows.length === query.limit ? (rows.at(-1)?.id ?? null) : null };
  });
}
