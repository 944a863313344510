/**
 * Catalog edits made from the console, each one transaction that writes a
 * new catalog version, the rows' history and the audit entry. Barcodes are
 * normalised (UPC-A gets its leading 0, a 14-digit GTIN-14 starting with 0
 * loses it) and must carry a valid check digit; a barcode of another product
 * is refused as a conflict, checked after the version row is taken (the
 * catalog writers' lock), so two edits cannot hand one barcode to two
 * products: a terminal would refuse such a delta.
 *
 * The CSV import reads an old system's export exactly as `till import-catalog`
 * does (readCatalogCsv), with the barcodes already in the hub's catalog as
 * the ones to keep; UTF-8 is tried strictly first, GBK (as GB18030) otherwise.
 */
import iconv from 'iconv-lite';
import { normaliseGtin } from '../core/barcode';
import { readCatalogCsv, type CsvField } from '../core/catalog-csv';
import type { Product, Promotion, StorePayments, StoreSettings } from '../shared/contract/catalog';
import type { AuditAction, ImportReport } from '../shared/hub-api/index';
import type { CatalogChange } from '../shared/replication';
import { checkCatalogChanges } from './catalog';
import { ApiError } from './http/errors';
import type { ChangeBy, HubStore, StoreTx } from './store/types';

async function write(store: HubStore, changes: CatalogChange[], by: ChangeBy, action: AuditAction = 'catalog.change'): Promise<number> {
  /* these edits carry no users, so no PIN is turned into a credential here */
  const checked = checkCatalogChanges(changes, null);
  return store.transaction(async (tx) => {
    const version = await tx.writeCatalog(checked, by, action);
    await refuseSharedBarcodes(tx, checked);
    return version;
  });
}

async function refuseSharedBarcodes(tx: StoreTx, changes: CatalogChange[]): Promise<void> {
  const mine = new Map<string, string>();
  for (const c of changes) if (c.kind === 'product' && c.data) for (const b of (c.data as Product).barcodes) mine.set(b, c.key);
  if (mine.size === 0) return;
  /* after the write: a barcode owned by two products (one of them just written) shows up here */
  for (const o of await tx.barcodeOwners([...mine.keys()])) {
    if (o.sku !== mine.get(o.barcode)) throw new ApiError('conflict', `barcode ${o.barcode} belongs to product ${o.sku}`);
  }
}

function normalisedBarcodes(barcodes: readonly string[], where: string): string[] {
  return [
    ...new Set(
      barcodes.map((b, i) => {
        const g = normaliseGtin(b);
        if (!g) throw new ApiError('bad-input', `barcode ${b}: bad check digit or length`, { issues: [{ path: `${where}.${i}`, code: 'invalid_format' }] });
        return g;
      }),
    ),
  ];
}

async function currentProduct(store: HubStore, sku: string): Promise<Product> {
  const item = await store.catalogItem('product', sku);
  if (!item || item.data === null) throw new ApiError('not-found', `no product ${sku}`);
  return item.data as Product;
}

export async function putProduct(store: HubStore, product: Product, by: ChangeBy): Promise<{ version: number; product: Product }> {
  const p = { ...product, barcodes: normalisedBarcodes(product.barcodes, 'body.barcodes') };
  return { version: await write(store, [{ kind: 'product', key: p.sku, data: p }], by), product: p };
}

export async function removeProduct(store: HubStore, sku: string, by: ChangeBy): Promise<number> {
  await currentProduct(store, sku);
  return write(store, [{ kind: 'product', key: sku, data: null }], by);
}

export async function addBarcode(store: HubStore, sku: string, barcode: string, by: ChangeBy): Promise<{ version: number; product: Product }> {
  const p = await currentProduct(store, sku);
  const [b] = normalisedBarcodes([barcode], 'body.barcode');
  if (p.barcodes.includes(b as string)) throw new ApiError('conflict', `product ${sku} already has barcode ${b}`);
  if (p.barcodes.length >= 16) throw new ApiError('bad-input', `product ${sku} has 16 barcodes`, { issues: [{ path: 'body.barcode', code: 'too_big' }] });
  return putProduct(store, { ...p, barcodes: [...p.barcodes, b as string] }, by);
}

export async function removeBarcode(store: HubStore, sku: string, barcode: string, by: ChangeBy): Promise<{ version: number; product: Product }> {
  const p = await currentProduct(store, sku);
  const b = normaliseGtin(barcode) ?? barcode;
  if (!p.barcodes.includes(b)) throw new ApiError('not-found', `product ${sku} has no barcode ${b}`);
  return putProduct(store, { ...p, barcodes: p.barcodes.filter((x) => x !== b) }, by);
}

export async function setPrice(store: HubStore, sku: string, price: number, memberPrice: number | null | undefined, by: ChangeBy): Promise<{ version: number; product: Product }> {
  const p = await currentProduct(store, sku);
  const next = { ...p, price, memberPrice: memberPrice === undefined ? p.memberPrice : memberPrice };
  return { version: await write(store, [{ kind: 'product', key: sku, data: next }], by), product: next };
}

export async function putPromotion(store: HubStore, promotion: Promotion, by: ChangeBy): Promise<number> {
  return write(store, [{ kind: 'promotion', key: promotion.id, data: promotion }], by);
}

export async function removePromotion(store: HubStore, id: string, by: ChangeBy): Promise<number> {
  const item = await store.catalogItem('promotion', id);
  if (!item || item.data === null) throw new ApiError('not-found', `no promotion ${id}`);
  return write(store, [{ kind: 'promotion', key: id, data: null }], by);
}

export async function putSettings(store: HubStore, settings: StoreSettings, by: ChangeBy): Promise<number> {
  return write(store, [{ kind: 'settings', key: 'store', data: settings }], by);
}

/** a store's payment codes (no keys: the schema has no field for one) */
export async function putStorePayments(store: HubStore, payments: StorePayments, by: ChangeBy): Promise<number> {
  return write(store, [{ kind: 'payments', key: payments.store, data: payments }], by);
}

export function decodeCsvBytes(buf: Buffer, encoding: 'auto' | 'utf8' | 'gbk'): { text: string; encoding: 'utf8' | 'gbk'; detected: boolean } {
  if (encoding === 'utf8') return { text: buf.toString('utf8'), encoding, detected: false };
  if (encoding === 'gbk') return { text: iconv.decode(buf, 'gb18030'), encoding, detected: false };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf), encoding: 'utf8', detected: true };
  } catch {
    return { text: iconv.decode(buf, 'gb18030'), encoding: 'gbk', detected: true };
  }
}

export async function importCsv(
  store: HubStore,
  o: { file: Buffer; encoding: 'auto' | 'utf8' | 'gbk'; map?: Partial<Record<CsvField, string>> | undefined; dryRun: boolean },
  by: ChangeBy,
): Promise<ImportReport> {
  const decoded = decodeCsvBytes(o.file, o.encoding);
  const owner = new Map<string, string>();
  for (const item of await store.catalogItems('product')) for (const b of (item.data as Product).barcodes) owner.set(b, item.key);
  let report;
  try {
    report = readCatalogCsv(decoded.text, { ...(o.map ? { map: o.map } : {}), existingSkuOf: (g) => owner.get(g) ?? null });
  } catch (e) {
    if (e instanceof RangeError) throw new ApiError('bad-input', e.message, { issues: [{ path: o.map ? 'body.map' : 'body.file', code: 'custom' }] });
    throw e;
  }
  let written: ImportReport['written'] = null;
  if (!o.dryRun && report.products.length > 0) {
    const version = await write(store, report.products.map((p) => ({ kind: 'product', key: p.sku, data: p })), by, 'catalog.import');
    written = { version, products: report.products.length };
  }
  return {
    encoding: decoded.encoding,
    encodingDetected: decoded.detected,
    columns: report.columns,
    rows: report.rows,
    accepted: report.products.length,
    rejected: report.rejected,
    dryRun: o.dryRun,
    written,
  };
}
