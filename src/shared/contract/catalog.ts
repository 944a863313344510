/**
 * Catalog calls and the catalog's data shapes: products, promotions, members,
 * store settings and the catalog delta the hub pushes down (applied in one
 * transaction, journaled as CatalogApplied). Amounts are integer fen; VAT
 * rates and percentages are basis points (1300 = 13 %).
 */
import { z } from 'zod';
import { method } from './define';
import { userCodeSchema } from './auth';
import { plainText, refuseControlCharacters } from './text';

/** the VAT rates a Chinese store sells at, in basis points */
export const VAT_RATES = [0, 600, 900, 1300] as const;
export const vatRateSchema = z.union([z.literal(0), z.literal(600), z.literal(900), z.literal(1300)]);
export type VatRate = z.infer<typeof vatRateSchema>;

export const fen = z.number().int().min(0).max(100_000_000);
export const skuSchema = z.string().min(1).max(32).regex(/^[0-9A-Za-z_-]+$/, 'letters, digits, - and _');
export const pluSchema = z.string().regex(/^\d{1,6}$/, '1 to 6 digits');
const isoTime = z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/, 'UTC ISO time');

/** a product as the catalog stores it and a delta carries it */
export const productSchema = z.object({
  sku: skuSchema,
  name: z.string().min(1).max(80),
  /** GTINs normalised to 13 digits (UPC-A gets a leading 0) or 8 digits (EAN-8) */
  barcodes: z.array(z.string().regex(/^(\d{8}|\d{13})$/)).max(16),
  /** keypad code; for weighed goods, the PLU carried in scale labels */
  plu: pluSchema.nullable(),
  category: z.string().min(1).max(40),
  unit: z.string().min(1).max(8),
  /** tax-inclusive price in fen; per kilogram when weighed */
  price: fen,
  memberPrice: fen.nullable(),
  vatRate: vatRateSchema,
  weighed: z.boolean(),
  active: z.boolean(),
});
export type Product = z.infer<typeof productSchema>;

/** a product as search and lookup return it (adds the search keys) */
export const productViewSchema = productSchema.extend({
  initials: z.string(),
  pinyin: z.string(),
});
export type ProductView = z.infer<typeof productViewSchema>;

/** which items a promotion counts: listed SKUs and/or whole categories */
export const itemSetSchema = z
  .object({ skus: z.array(skuSchema).max(500).default([]), categories: z.array(z.string().min(1).max(40)).max(50).default([]) })
  .refine((s) => s.skus.length + s.categories.length > 0, 'an item set needs at least one SKU or category');
export type ItemSet = z.infer<typeof itemSetSchema>;

/** when a promotion runs: a date range and optionally a daily window (minutes after local midnight) */
export const promotionWindowSchema = z.object({
  from: isoTime.nullable(),
  to: isoTime.nullable(),
  dailyFromMinute: z.number().int().min(0).max(1440).nullable(),
  dailyToMinute: z.number().int().min(0).max(1440).nullable(),
});

const promoBase = {
  id: z.string().min(1).max(32),
  name: z.string().min(1).max(40),
  active: z.boolean(),
  membersOnly: z.boolean(),
  window: promotionWindowSchema,
};

export const promotionSchema = z.discriminatedUnion('kind', [
  /** N items from the set for a fixed price (2 for 5.00) */
  z.object({ ...promoBase, kind: z.literal('multi-buy'), items: itemSetSchema, qty: z.number().int().min(2).max(99), price: fen }),
  /** every n-th item at percentOff (第二件半价: n 2, 5000) */
  z.object({ ...promoBase, kind: z.literal('nth-off'), items: itemSetSchema, n: z.number().int().min(2).max(99), percentOff: z.number().int().min(1).max(10000) }),
  /** buy `buyQty` from `buy`, get `getQty` of the cheapest of `get` free */
  z.object({
    ...promoBase,
    kind: z.literal('buy-get'),
    buy: itemSetSchema,
    buyQty: z.number().int().min(1).max(99),
    get: itemSetSchema,
    getQty: z.number().int().min(1).max(99),
  }),
  /** one item from each component set for a fixed price (饭团 + 饮料 = 9.90) */
  z.object({ ...promoBase, kind: z.literal('combo'), components: z.array(itemSetSchema).min(2).max(6), price: fen }),
  /** a special unit price for the set (time-limited price cut) */
  z.object({ ...promoBase, kind: z.literal('special-price'), items: itemSetSchema, price: fen }),
]);
export type Promotion = z.infer<typeof promotionSchema>;

export const memberSchema = z.object({
  code: z.string().regex(/^\d{4,20}$/),
  name: z.string().min(1).max(40),
  active: z.boolean(),
});
export type Member = z.infer<typeof memberSchema>;

/** 13-digit '2x' codes: prefix + PLU + price (fen) or weight (g) + GS1 check digit */
export const embeddedLayoutSchema = z
  .object({
    prefix: z.string().regex(/^2\d{0,2}$/),
    pluDigits: z.number().int().min(4).max(6),
    value: z.enum(['price', 'weight']),
    valueDigits: z.number().int().min(4).max(6),
  })
  .refine((l) => l.prefix.length + l.pluDigits + l.valueDigits + 1 === 13, 'prefix + PLU + value + check must be 13 digits');
/** 18-digit scale labels: prefix + PLU + amount (fen) + weight (g) + GS1 check digit */
export const scaleLayoutSchema = z
  .object({
    prefix: z.string().regex(/^2[0-4]\d{0,1}$/, 'must start 20-24 (25-30 are Alipay codes)'),
    pluDigits: z.number().int().min(4).max(6),
    amountDigits: z.number().int().min(4).max(6),
    weightDigits: z.number().int().min(4).max(6),
  })
  .refine((l) => l.prefix.length + l.pluDigits + l.amountDigits + l.weightDigits + 1 === 18, 'the fields must add up to 18 digits');

export const roundingSchema = z.object({
  /** 抹零: none, to the jiao (0.10) or to the yuan (1.00) */
  unit: z.enum(['none', 'jiao', 'yuan']),
  method: z.enum(['down', 'half-up']),
});

const discountLimitSchema = z.object({ percent: z.number().int().min(0).max(10000), amount: fen });

/**
 * The staged rollout of app updates, set at the hub and delivered with the
 * store settings (src/main/updater.ts decides from it): the version the
 * fleet should run (null: the newest the feed offers; a version below the
 * running one is a rollback), the share of terminals that take it (a stable
 * hash of store/terminal picks them) and stores that take it whatever the
 * share, and the feed channel.
 */
export const updateRolloutSchema = z
  .object({
    version: z
      .string()
      .regex(/^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$/, 'a version such as 1.4.2')
      .nullable()
      .default(null),
    percent: z.number().int().min(0).max(100).default(0),
    stores: z.array(z.string().regex(/^[A-Za-z0-9_-]{1,32}$/)).max(10_000).default([]),
    channel: z.string().regex(/^[a-z0-9-]{1,20}$/).default('latest'),
  })
  .strict();
export type UpdateRollout = z.output<typeof updateRolloutSchema>;

export const storeSettingsSchema = z.object({
  storeName: z.string().min(1).max(40),
  rounding: roundingSchema,
  embeddedLayouts: z.array(embeddedLayoutSchema).max(10),
  scaleLayout: scaleLayoutSchema.nullable(),
  /** largest discount each role may give without an override: percent (bp) of what it applies to, and amount */
  discountLimits: z.object({ cashier: discountLimitSchema, supervisor: discountLimitSchema, manager: discountLimitSchema, admin: discountLimitSchema }),
  /** the store's offset from UTC, for daily promotion windows and the business day (China: 480) */
  utcOffsetMinutes: z.number().int().min(-720).max(840),
  /** the app updates' staged rollout (absent: terminals follow their update feed) */
  updates: updateRolloutSchema.optional(),
});
export type StoreSettings = z.infer<typeof storeSettingsSchema>;

export const catalogUserSchema = z.object({
  code: userCodeSchema,
  name: z.string().min(1).max(40),
  role: z.enum(['cashier', 'supervisor', 'manager', 'admin']),
  /** the PIN as a credential under the chain's or the terminal's PIN key (src/core/pin-credential.ts), or the older keyless 'scrypt$...' form */
  pinHash: z.string().min(20).max(300),
  active: z.boolean(),
  /** a one-time PIN: the user must choose a new one at the next sign-in */
  mustChangePin: z.boolean().optional(),
});
export type CatalogUser = z.infer<typeof catalogUserSchema>;

/**
 * A store's payment codes as the hub sets them up (per store code, or '*' for
 * every store without its own row): the mode, which providers, their merchant
 * and app ids, the loop's timing. Never a secret: each till keeps the WeChat
 * Pay API key and certificate and the Alipay app key in its own
 * DATA/payments.json (0600), and its endpoints too.
 */
export const storePaymentsSchema = z
  .object({
    store: z.union([z.literal('*'), z.string().regex(/^[A-Za-z0-9]{1,12}$/)]),
    mode: z.enum(['live', 'sandbox', 'none']),
    /** whole seconds: a catalog delta is canonical JSON, which has no fractions */
    timeoutSeconds: z.number().int().min(1).max(120).optional(),
    pollSeconds: z.number().int().min(1).max(30).optional(),
    wechat: z
      .object({
        appId: z.string().min(1).max(32),
        mchId: z.string().regex(/^\d{1,32}$/),
        subMchId: z.string().regex(/^\d{1,32}$/).optional(),
        subAppId: z.string().min(1).max(32).optional(),
        signType: z.enum(['MD5', 'HMAC-SHA256']).optional(),
      })
      .strict()
      .nullable()
      .default(null),
    alipay: z
      .object({ appId: z.string().regex(/^\d{16}$/), storeId: z.string().min(1).max(32).optional() })
      .strict()
      .nullable()
      .default(null),
  })
  .strict();
export type StorePayments = z.infer<typeof storePaymentsSchema>;

/**
 * What the hub sends down: the catalog moves from `fromVersion` to `version`
 * (a delta for another base is refused). Products are upserted whole;
 * deactivation is by SKU.
 */
export const catalogDeltaSchema = z.object({
  fromVersion: z.number().int().min(0),
  version: z.number().int().min(1),
  products: z.array(productSchema).max(200_000).default([]),
  deactivate: z.array(skuSchema).max(200_000).default([]),
  promotions: z.array(promotionSchema).max(10_000).default([]),
  removePromotions: z.array(z.string().min(1).max(32)).max(10_000).default([]),
  members: z.array(memberSchema).max(200_000).default([]),
  users: z.array(catalogUserSchema).max(1000).default([]),
  settings: storeSettingsSchema.nullable().default(null),
  payments: z.array(storePaymentsSchema).max(10_000).default([]),
}).superRefine(refuseControlCharacters);
export type CatalogDelta = z.infer<typeof catalogDeltaSchema>;
export type CatalogDeltaInput = z.input<typeof catalogDeltaSchema>;

export const catalogMethods = {
  'catalog.lookup': method({
    summary: 'find one product by barcode (any GTIN form) or PLU',
    access: 'catalog.read',
    input: z.object({ code: plainText(z.string().min(1).max(32)) }).strict(),
    output: productViewSchema,
  }),
  'catalog.search': method({
    summary: 'search active products by name, pinyin initials, full pinyin, PLU, SKU or barcode fragment',
    access: 'catalog.read',
    input: z.object({ query: plainText(z.string().min(1).max(40)), limit: z.number().int().min(1).max(100).default(20) }).strict(),
    output: z.object({ products: z.array(productViewSchema) }),
  }),
  'catalog.info': method({
    summary: 'catalog version and size',
    access: 'catalog.read',
    input: z.object({}).strict(),
    output: z.object({ version: z.number().int(), products: z.number().int(), promotions: z.number().int() }),
  }),
};
