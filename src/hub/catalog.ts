/**
 * The hub's catalog: rows of (kind, key, data) with a version per change set.
 * Data is checked with the selling side's schemas before it is stored; a
 * terminal at version v receives every row changed after v as one
 * CatalogDelta (products upserted whole, removed products deactivated,
 * removed promotions listed), which it applies in one transaction.
 */
import { TillError } from '../shared/errors';
import {
  catalogDeltaSchema,
  catalogUserSchema,
  memberSchema,
  productSchema,
  promotionSchema,
  storeSettingsSchema,
  type CatalogDelta,
  type Product,
} from '../shared/contract/catalog';
import type { CatalogChange, CatalogKind } from '../shared/replication';
import type { CatalogChanges, HubStore } from './store/types';

const SCHEMAS = { product: productSchema, promotion: promotionSchema, member: memberSchema, user: catalogUserSchema, settings: storeSettingsSchema } as const;

/** the key a row of each kind is stored under */
export function catalogKey(kind: CatalogKind, data: Record<string, unknown>): string {
  switch (kind) {
    case 'product': return String(data.sku);
    case 'promotion': return String(data.id);
    case 'member':
    case 'user': return String(data.code);
    case 'settings': return 'store';
  }
}

/** checks every change's data against its kind's schema and its key; throws 'bad-input' naming the first bad row */
export function checkCatalogChanges(changes: CatalogChange[]): CatalogChange[] {
  return changes.map((c, i) => {
    if (c.data === null) return c;
    const parsed = SCHEMAS[c.kind].safeParse(c.data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new TillError('bad-input', `change ${i + 1} (${c.kind} ${c.key}): ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`);
    }
    const data = parsed.data as Record<string, unknown>;
    if (catalogKey(c.kind, data) !== c.key) throw new TillError('bad-input', `change ${i + 1}: key '${c.key}' does not match the ${c.kind}'s own key '${catalogKey(c.kind, data)}'`);
    return { kind: c.kind, key: c.key, data };
  });
}

export function toCatalogDelta(rows: CatalogChanges): CatalogDelta {
  const delta: CatalogDelta = { fromVersion: rows.fromVersion, version: rows.toVersion, products: [], deactivate: [], promotions: [], removePromotions: [], members: [], users: [], settings: null };
  for (const c of rows.changes) {
    switch (c.kind) {
      case 'product':
        if (c.data) delta.products.push(productSchema.parse(c.data));
        else delta.deactivate.push(c.key);
        break;
      case 'promotion':
        if (c.data) delta.promotions.push(promotionSchema.parse(c.data));
        else delta.removePromotions.push(c.key);
        break;
      case 'member':
        if (c.data) delta.members.push(memberSchema.parse(c.data));
        break;
      case 'user':
        if (c.data) delta.users.push(catalogUserSchema.parse(c.data));
        break;
      case 'settings':
        if (c.data) delta.settings = storeSettingsSchema.parse(c.data);
        break;
    }
  }
  return catalogDeltaSchema.parse(delta);
}

export async function catalogDeltaSince(store: HubStore, since: number): Promise<CatalogDelta> {
  return toCatalogDelta(await store.catalogDelta(since));
}

/** the change that sets the price of the product carrying `barcode` (or with that SKU) */
export async function priceChange(store: HubStore, barcodeOrSku: string, price: number): Promise<CatalogChange> {
  if (!Number.isSafeInteger(price) || price < 0) throw new TillError('bad-input', `a price is a whole number of fen (got ${price})`);
  const products = (await store.catalogItems('product')).map((c) => c.data as Product);
  const p = products.find((x) => x.barcodes.includes(barcodeOrSku)) ?? products.find((x) => x.sku === barcodeOrSku);
  if (!p) throw new TillError('not-found', `the hub's catalog has no product with barcode or SKU ${barcodeOrSku}`);
  return { kind: 'product', key: p.sku, data: { ...p, price } };
}
