/**
 * The chain's catalog at the hub: products with their barcodes and prices,
 * promotions and the chain's settings, each change a new catalog version that
 * reaches every terminal (connected ones at once, the others when they next
 * connect). Per-store prices and scheduled price changes (effective at a UTC
 * instant, applied by each terminal at that time even when offline) are
 * declared here too. The history keeps every row's before and after with who
 * changed it. The CSV import reads an old system's export (UTF-8 or GBK,
 * Chinese or English headers) with the same validation report and dry run as
 * `till import-catalog`.
 */
import { z } from 'zod';
import { productSchema, promotionSchema, skuSchema, storePaymentsSchema, storeSettingsSchema, fen } from '../contract/catalog';
import { catalogKindSchema } from '../replication';
import { route } from './define';
import { count, isoTimeSchema, nextCursor, pageQuery, queryBoolean, storeCodeSchema } from './common';

/** the columns an import recognises (the same as `till import-catalog --map`) */
export const CATALOG_CSV_FIELDS = ['sku', 'barcode', 'name', 'price', 'memberPrice', 'unit', 'category', 'vat', 'weighed', 'plu'] as const;
export const catalogCsvFieldSchema = z.enum(CATALOG_CSV_FIELDS);

export const barcodeSchema = z.string().regex(/^\d{8}$|^\d{12,14}$/, 'an EAN-13, EAN-8 or UPC-A');

/** answers of a change: the new catalog version */
export const versionAnswer = z.object({ version: z.number().int().positive() });

export const catalogProductAnswer = z.object({ product: productSchema, version: z.number().int().positive() });

export const storePriceSchema = z.object({
  store: storeCodeSchema,
  sku: skuSchema,
  price: fen,
  memberPrice: fen.nullable(),
  version: z.number().int().positive(),
});

export const SCHEDULE_STATUSES = ['pending', 'effective', 'cancelled'] as const;
export const scheduledPriceSchema = z.object({
  id: z.number().int().positive(),
  sku: skuSchema,
  /** null: every store */
  store: storeCodeSchema.nullable(),
  price: fen,
  memberPrice: fen.nullable(),
  effectiveAt: isoTimeSchema,
  status: z.enum(SCHEDULE_STATUSES),
  createdBy: z.string(),
  createdAt: isoTimeSchema,
});
export type ScheduledPrice = z.infer<typeof scheduledPriceSchema>;

export const catalogHistoryEntrySchema = z.object({
  id: z.number().int().positive(),
  version: z.number().int().positive(),
  at: isoTimeSchema,
  actor: z.string(),
  kind: catalogKindSchema,
  key: z.string(),
  /** the row before the change (null: it did not exist) and after (null: removed) */
  before: z.record(z.string(), z.unknown()).nullable(),
  after: z.record(z.string(), z.unknown()).nullable(),
});
export type CatalogHistoryEntry = z.infer<typeof catalogHistoryEntrySchema>;

export const importReportSchema = z.object({
  encoding: z.enum(['utf8', 'gbk']),
  encodingDetected: z.boolean(),
  /** which file header each field was read from */
  columns: z.partialRecord(catalogCsvFieldSchema, z.string()),
  rows: count,
  accepted: count,
  rejected: z.array(z.object({ row: z.number().int().positive(), reason: z.string() })),
  dryRun: z.boolean(),
  /** the catalog version written, null on a dry run or when nothing was accepted */
  written: z.object({ version: z.number().int().positive(), products: count }).nullable(),
});
export type ImportReport = z.infer<typeof importReportSchema>;

const skuParams = z.object({ sku: skuSchema }).strict();
const everyone = ['hq-admin', 'hq-analyst', 'store-manager'] as const;
const admin = { roles: ['hq-admin'] } as const;
const storeFilter = { in: 'query', field: 'store', mode: 'filter' } as const;

export const catalogRoutes = {
  'catalog.products': route({
    method: 'GET',
    path: '/api/catalog/products',
    group: 'catalog',
    summary: 'products by SKU, filtered by a name/SKU/barcode fragment, category and active',
    access: { roles: everyone },
    query: z
      .object({
        q: z.string().trim().min(1).max(40).optional(),
        category: z.string().min(1).max(40).optional(),
        active: queryBoolean.optional(),
        /** the SKU where the previous page ended */
        after: skuSchema.optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
      })
      .strict(),
    answer: z.object({ version: z.number().int().min(0), products: z.array(productSchema), next: skuSchema.nullable() }),
  }),
  'catalog.product': route({
    method: 'GET',
    path: '/api/catalog/products/:sku',
    group: 'catalog',
    summary: 'one product and the catalog version that last changed it',
    access: { roles: everyone },
    params: skuParams,
    answer: catalogProductAnswer,
  }),
  'catalog.putProduct': route({
    method: 'PUT',
    path: '/api/catalog/products/:sku',
    group: 'catalog',
    summary: 'add or replace a product (a barcode of another product is refused); audited',
    access: admin,
    params: skuParams,
    body: productSchema.strict(),
    answer: catalogProductAnswer,
  }),
  'catalog.deleteProduct': route({
    method: 'DELETE',
    path: '/api/catalog/products/:sku',
    group: 'catalog',
    summary: 'remove a product: terminals deactivate it; audited',
    access: admin,
    params: skuParams,
    answer: versionAnswer,
  }),
  'catalog.addBarcode': route({
    method: 'POST',
    path: '/api/catalog/products/:sku/barcodes',
    group: 'catalog',
    summary: "add a barcode to a product (normalised to 13 or 8 digits; one of another product is refused); audited",
    access: admin,
    params: skuParams,
    body: z.object({ barcode: barcodeSchema }).strict(),
    answer: catalogProductAnswer,
  }),
  'catalog.removeBarcode': route({
    method: 'DELETE',
    path: '/api/catalog/products/:sku/barcodes/:barcode',
    group: 'catalog',
    summary: 'remove a barcode from a product; audited',
    access: admin,
    params: z.object({ sku: skuSchema, barcode: barcodeSchema }).strict(),
    answer: catalogProductAnswer,
  }),
  'catalog.setPrice': route({
    method: 'PUT',
    path: '/api/catalog/products/:sku/price',
    group: 'catalog',
    summary: "change a product's chain-wide price (and member price) now; audited",
    access: admin,
    params: skuParams,
    body: z.object({ price: fen, memberPrice: fen.nullable().optional() }).strict(),
    answer: catalogProductAnswer,
  }),
  'catalog.categories': route({
    method: 'GET',
    path: '/api/catalog/categories',
    group: 'catalog',
    summary: 'the categories of active products with their product counts',
    access: { roles: everyone },
    answer: z.object({ categories: z.array(z.object({ name: z.string(), products: count })) }),
  }),
  'catalog.promotions': route({
    method: 'GET',
    path: '/api/catalog/promotions',
    group: 'catalog',
    summary: 'every promotion',
    access: { roles: everyone },
    answer: z.object({ version: z.number().int().min(0), promotions: z.array(promotionSchema) }),
  }),
  'catalog.putPromotion': route({
    method: 'PUT',
    path: '/api/catalog/promotions/:id',
    group: 'catalog',
    summary: 'add or replace a promotion; audited',
    access: admin,
    params: z.object({ id: z.string().min(1).max(32) }).strict(),
    body: promotionSchema,
    answer: versionAnswer,
  }),
  'catalog.deletePromotion': route({
    method: 'DELETE',
    path: '/api/catalog/promotions/:id',
    group: 'catalog',
    summary: 'remove a promotion; audited',
    access: admin,
    params: z.object({ id: z.string().min(1).max(32) }).strict(),
    answer: versionAnswer,
  }),
  'catalog.settings': route({
    method: 'GET',
    path: '/api/catalog/settings',
    group: 'catalog',
    summary: 'the settings terminals sell with (rounding, scale labels, discount limits, UTC offset)',
    access: { roles: everyone },
    answer: z.object({ version: z.number().int().min(0), settings: storeSettingsSchema.nullable() }),
  }),
  'catalog.putSettings': route({
    method: 'PUT',
    path: '/api/catalog/settings',
    group: 'catalog',
    summary: 'change the settings terminals sell with; audited',
    access: admin,
    body: storeSettingsSchema,
    answer: versionAnswer,
  }),
  'catalog.payments': route({
    method: 'GET',
    path: '/api/catalog/payments',
    group: 'catalog',
    summary: "each store's payment codes (mode, providers, merchant and app ids; '*' for every store without its own); never a key",
    access: { roles: everyone },
    answer: z.object({ version: z.number().int().min(0), payments: z.array(storePaymentsSchema) }),
  }),
  'catalog.putPayments': route({
    method: 'PUT',
    path: '/api/catalog/payments/:store',
    group: 'catalog',
    summary: "set a store's payment codes ('*': every store without its own); the tills keep their keys; audited",
    access: admin,
    params: z.object({ store: z.union([z.literal('*'), storeCodeSchema]) }).strict(),
    body: storePaymentsSchema,
    answer: versionAnswer,
  }),
  'catalog.storePrices': route({
    method: 'GET',
    path: '/api/catalog/store-prices',
    group: 'catalog',
    summary: "per-store prices that replace the chain's price in one store",
    access: { roles: everyone, store: storeFilter },
    query: z.object({ store: storeCodeSchema.optional(), sku: skuSchema.optional() }).strict(),
    answer: z.object({ prices: z.array(storePriceSchema) }),
  }),
  'catalog.setStorePrice': route({
    method: 'PUT',
    path: '/api/catalog/store-prices/:store/:sku',
    group: 'catalog',
    summary: "set a product's price in one store; audited",
    access: { roles: ['hq-admin', 'store-manager'], store: { in: 'params', field: 'store', mode: 'one' } },
    params: z.object({ store: storeCodeSchema, sku: skuSchema }).strict(),
    body: z.object({ price: fen, memberPrice: fen.nullable().default(null) }).strict(),
    answer: storePriceSchema,
  }),
  'catalog.removeStorePrice': route({
    method: 'DELETE',
    path: '/api/catalog/store-prices/:store/:sku',
    group: 'catalog',
    summary: "remove a store's own price (the chain's price applies again); audited",
    access: { roles: ['hq-admin', 'store-manager'], store: { in: 'params', field: 'store', mode: 'one' } },
    params: z.object({ store: storeCodeSchema, sku: skuSchema }).strict(),
    answer: versionAnswer,
  }),
  'catalog.scheduledPrices': route({
    method: 'GET',
    path: '/api/catalog/scheduled-prices',
    group: 'catalog',
    summary: 'scheduled price changes, chain-wide and per store',
    access: { roles: everyone, store: storeFilter },
    query: z.object({ store: storeCodeSchema.optional(), sku: skuSchema.optional(), status: z.enum(SCHEDULE_STATUSES).optional() }).strict(),
    answer: z.object({ changes: z.array(scheduledPriceSchema) }),
  }),
  'catalog.schedulePrice': route({
    method: 'POST',
    path: '/api/catalog/scheduled-prices',
    group: 'catalog',
    summary: 'schedule a price change at a UTC instant, chain-wide (store null) or for one store; terminals apply it then even offline; audited',
    access: { roles: ['hq-admin', 'store-manager'], store: { in: 'body', field: 'store', mode: 'one' } },
    body: z.object({ sku: skuSchema, store: storeCodeSchema.nullable(), price: fen, memberPrice: fen.nullable().default(null), effectiveAt: isoTimeSchema }).strict(),
    answer: scheduledPriceSchema,
  }),
  'catalog.cancelScheduledPrice': route({
    method: 'DELETE',
    path: '/api/catalog/scheduled-prices/:id',
    group: 'catalog',
    summary: 'cancel a scheduled price change that is not yet effective; audited',
    access: { roles: ['hq-admin', 'store-manager'], store: { in: 'params', field: 'id', mode: 'derived' } },
    params: z.object({ id: z.coerce.number().int().positive() }).strict(),
    answer: scheduledPriceSchema,
  }),
  'catalog.import': route({
    method: 'POST',
    path: '/api/catalog/import',
    group: 'catalog',
    summary: "import an old system's CSV export (base64; UTF-8 or GBK): a validation report, and unless dryRun the accepted rows as one catalog version; audited",
    access: admin,
    body: z
      .object({
        /** the file's bytes, base64 */
        file: z.string().min(1).max(48 * 1024 * 1024),
        encoding: z.enum(['auto', 'utf8', 'gbk']).default('auto'),
        /** field -> the header it is under, for headers the import does not know */
        map: z.partialRecord(catalogCsvFieldSchema, z.string().min(1).max(40)).optional(),
        dryRun: z.boolean(),
      })
      .strict(),
    answer: importReportSchema,
    bodyLimit: 48 * 1024 * 1024,
  }),
  'catalog.history': route({
    method: 'GET',
    path: '/api/catalog/history',
    group: 'catalog',
    summary: "the history of catalog rows, newest first: who changed what, before and after",
    access: { roles: ['hq-admin', 'hq-analyst'] },
    query: z.object({ kind: catalogKindSchema.optional(), key: z.string().min(1).max(128).optional(), ...pageQuery }).strict(),
    answer: z.object({ changes: z.array(catalogHistoryEntrySchema), next: nextCursor }),
  }),
};
