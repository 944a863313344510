/**
 * Reports over a period of the stores' own days: `from` and `to` are
 * calendar dates (both included) in each store's time zone, so a chain
 * report adds up each store's own days. Every amount is integer fen and
 * every count an integer. Tables can be exported: format=csv or format=xlsx
 * answers a file with the same rows instead of JSON.
 */
import { z } from 'zod';
import { route, type ExportFormat } from './define';
import { count, dateSchema, fenAmount, isoTimeSchema, signedFen, storeCodeSchema, storeListQuery, terminalCodeSchema } from './common';
import { tenderMixKindSchema } from './live';

const EXPORTS: readonly ExportFormat[] = ['csv', 'xlsx'];

/** the period and stores a report covers */
const period = {
  from: dateSchema,
  to: dateSchema,
  /** one store */
  store: storeCodeSchema.optional(),
  /** several stores: stores=S001,S002 */
  stores: storeListQuery.optional(),
};
const fromNotAfterTo = (v: { from: string; to: string }) => v.from <= v.to;
const periodMessage = { message: '`from` must not be after `to`', path: ['to'] };
const format = z.enum(['json', 'csv', 'xlsx']).default('json');

export const countFen = z.object({ count, fen: signedFen });

export const salesSummarySchema = z.object({
  from: dateSchema,
  to: dateSchema,
  stores: z.array(storeCodeSchema),
  /** completed sales */
  sales: countFen,
  refunds: countFen,
  /** sales minus refunds (count: sales.count - refunds.count) */
  net: countFen,
});
export type SalesSummary = z.infer<typeof salesSummarySchema>;

/** one row of a sales breakdown */
export const salesRowSchema = z.object({
  /** the store code, the date (YYYY-MM-DD), the hour (0-23) or the category, by `by` */
  key: z.string(),
  receipts: count,
  salesFen: fenAmount,
  refundsFen: fenAmount,
  netFen: signedFen,
  taxFen: signedFen,
  averageBasketFen: fenAmount,
});

export const productRowSchema = z.object({
  sku: z.string(),
  name: z.string(),
  category: z.string(),
  /** units sold, net of refunds (grams for weighed products) */
  qty: z.number().int(),
  weighed: z.boolean(),
  netFen: signedFen,
  receipts: count,
});

export const cashierRowSchema = z.object({
  store: storeCodeSchema,
  cashier: z.string(),
  cashierName: z.string(),
  receipts: count,
  netFen: signedFen,
  averageBasketFen: fenAmount,
  voids: count,
  refunds: countFen,
  noSales: count,
  overrides: count,
  discountsFen: fenAmount,
});

export const shiftRowSchema = z.object({
  store: storeCodeSchema,
  terminal: terminalCodeSchema,
  shiftId: z.string(),
  cashier: z.string(),
  cashierName: z.string(),
  openedAt: isoTimeSchema,
  closedAt: isoTimeSchema.nullable(),
  floatFen: fenAmount,
  expectedCashFen: signedFen,
  countedCashFen: signedFen.nullable(),
  /** counted minus expected: negative is short */
  overShortFen: signedFen.nullable(),
});

export const zReportRowSchema = z.object({
  store: storeCodeSchema,
  terminal: terminalCodeSchema,
  /** the store's business date the Z report closed */
  date: dateSchema,
  closedAt: isoTimeSchema,
  receipts: count,
  salesFen: fenAmount,
  refundsFen: fenAmount,
  netFen: signedFen,
  tenders: z.array(z.object({ kind: tenderMixKindSchema, count, fen: signedFen })),
  overShortFen: signedFen,
});

const everyone = ['hq-admin', 'hq-analyst', 'store-manager'] as const;
const storeFilter = { in: 'query', field: 'store', listField: 'stores', mode: 'filter' } as const;
const access = { roles: everyone, store: storeFilter };

export const reportRoutes = {
  'reports.sales': route({
    method: 'GET',
    path: '/api/reports/sales',
    group: 'reports',
    summary: 'sales, refunds and net (counts and fen) for a period of the stores\' own days',
    access,
    query: z.object(period).strict().refine(fromNotAfterTo, periodMessage),
    answer: salesSummarySchema,
  }),
  'reports.breakdown': route({
    method: 'GET',
    path: '/api/reports/breakdown',
    group: 'reports',
    summary: 'sales by store, day, hour of the day or category',
    access,
    query: z.object({ ...period, by: z.enum(['store', 'day', 'hour', 'category']), category: z.string().min(1).max(40).optional(), format }).strict().refine(fromNotAfterTo, periodMessage),
    answer: z.object({ from: dateSchema, to: dateSchema, by: z.enum(['store', 'day', 'hour', 'category']), rows: z.array(salesRowSchema) }),
    exports: EXPORTS,
  }),
  'reports.products': route({
    method: 'GET',
    path: '/api/reports/products',
    group: 'reports',
    summary: 'top or slowest products by net sales or quantity',
    access,
    query: z
      .object({ ...period, order: z.enum(['top', 'slow']).default('top'), measure: z.enum(['net', 'qty']).default('net'), category: z.string().min(1).max(40).optional(), limit: z.coerce.number().int().min(1).max(1000).default(50), format })
      .strict()
      .refine(fromNotAfterTo, periodMessage),
    answer: z.object({ from: dateSchema, to: dateSchema, rows: z.array(productRowSchema) }),
    exports: EXPORTS,
  }),
  'reports.payments': route({
    method: 'GET',
    path: '/api/reports/payments',
    group: 'reports',
    summary: 'payment mix: cash, card, WeChat, Alipay, UnionPay',
    access,
    query: z.object({ ...period, format }).strict().refine(fromNotAfterTo, periodMessage),
    answer: z.object({ from: dateSchema, to: dateSchema, rows: z.array(z.object({ kind: tenderMixKindSchema, count, fen: signedFen })) }),
    exports: EXPORTS,
  }),
  'reports.cashiers': route({
    method: 'GET',
    path: '/api/reports/cashiers',
    group: 'reports',
    summary: 'per cashier: receipts, net, average basket, voids, refunds, no-sales, overrides, discounts',
    access,
    query: z.object({ ...period, format }).strict().refine(fromNotAfterTo, periodMessage),
    answer: z.object({ from: dateSchema, to: dateSchema, rows: z.array(cashierRowSchema) }),
    exports: EXPORTS,
  }),
  'reports.promotions': route({
    method: 'GET',
    path: '/api/reports/promotions',
    group: 'reports',
    summary: "what each promotion cost (the savings it gave) and how often it applied",
    access,
    query: z.object({ ...period, format }).strict().refine(fromNotAfterTo, periodMessage),
    answer: z.object({ from: dateSchema, to: dateSchema, rows: z.array(z.object({ promotionId: z.string(), name: z.string(), applied: count, costFen: fenAmount })) }),
    exports: EXPORTS,
  }),
  'reports.tax': route({
    method: 'GET',
    path: '/api/reports/tax',
    group: 'reports',
    summary: 'net sales and VAT by rate (basis points)',
    access,
    query: z.object({ ...period, format }).strict().refine(fromNotAfterTo, periodMessage),
    answer: z.object({ from: dateSchema, to: dateSchema, rows: z.array(z.object({ vatRate: z.number().int(), netFen: signedFen, taxFen: signedFen })) }),
    exports: EXPORTS,
  }),
  'reports.shifts': route({
    method: 'GET',
    path: '/api/reports/shifts',
    group: 'reports',
    summary: 'shifts with float, expected and counted cash, over/short',
    access,
    query: z.object({ ...period, format }).strict().refine(fromNotAfterTo, periodMessage),
    answer: z.object({ from: dateSchema, to: dateSchema, rows: z.array(shiftRowSchema) }),
    exports: EXPORTS,
  }),
  'reports.zReports': route({
    method: 'GET',
    path: '/api/reports/z-reports',
    group: 'reports',
    summary: 'the Z reports (日结) each terminal closed in the period',
    access,
    query: z.object({ ...period, format }).strict().refine(fromNotAfterTo, periodMessage),
    answer: z.object({ from: dateSchema, to: dateSchema, rows: z.array(zReportRowSchema) }),
    exports: EXPORTS,
  }),
  'reports.storeDay': route({
    method: 'GET',
    path: '/api/reports/store-day/:store/:date',
    group: 'reports',
    summary: "a store's day across its terminals (a store-wide Z)",
    access: { roles: everyone, store: { in: 'params', field: 'store', mode: 'one' } },
    params: z.object({ store: storeCodeSchema, date: dateSchema }).strict(),
    query: z.object({ format }).strict(),
    answer: z.object({
      store: storeCodeSchema,
      date: dateSchema,
      terminals: z.array(zReportRowSchema),
      total: zReportRowSchema.omit({ terminal: true, closedAt: true }),
      /** terminals of the store without a Z report for that day */
      open: z.array(terminalCodeSchema),
    }),
    exports: EXPORTS,
  }),
};
