/**
 * Loss prevention: the events that let money or goods leave without a sale
 * (voids after tender, refunds without a receipt, no-sale drawer openings,
 * supervisor overrides, price overrides and discounts), counted by cashier
 * and store, with each figure compared with the chain's median over the same
 * period: a row is an outlier for a kind when its rate (per 100 receipts) is
 * above `outlierFactor` times the median rate.
 */
import { z } from 'zod';
import { route } from './define';
import { count, dateSchema, fenAmount, isoTimeSchema, nextCursor, storeCodeSchema, storeListQuery, terminalCodeSchema } from './common';

export const LOSS_KINDS = ['void-after-tender', 'refund-without-receipt', 'no-sale', 'override', 'price-override', 'discount'] as const;
export const lossKindSchema = z.enum(LOSS_KINDS);
export type LossKind = z.infer<typeof lossKindSchema>;

export const lossFigureSchema = z.object({
  count,
  fen: fenAmount,
  /** events per 100 receipts of the row */
  ratePer100: z.number().min(0),
  outlier: z.boolean(),
});

export const lossRowSchema = z.object({
  store: storeCodeSchema,
  cashier: z.string(),
  cashierName: z.string(),
  receipts: count,
  kinds: z.record(lossKindSchema, lossFigureSchema),
});

export const lossEventSchema = z.object({
  id: z.number().int().positive(),
  at: isoTimeSchema,
  store: storeCodeSchema,
  terminal: terminalCodeSchema,
  cashier: z.string(),
  cashierName: z.string(),
  kind: lossKindSchema,
  fen: fenAmount,
  receiptNo: z.string().nullable(),
  /** the supervisor who approved it, when one did */
  approvedBy: z.string().nullable(),
  reason: z.string().nullable(),
});

const period = { from: dateSchema, to: dateSchema, store: storeCodeSchema.optional(), stores: storeListQuery.optional() };
const everyone = ['hq-admin', 'hq-analyst', 'store-manager'] as const;
const access = { roles: everyone, store: { in: 'query', field: 'store', listField: 'stores', mode: 'filter' } } as const;

export const lossRoutes = {
  'loss.summary': route({
    method: 'GET',
    path: '/api/loss/summary',
    group: 'loss',
    summary: 'loss-prevention events by cashier and store, with outliers against the chain median',
    access,
    query: z
      .object({ ...period, format: z.enum(['json', 'csv', 'xlsx']).default('json') })
      .strict()
      .refine((v) => v.from <= v.to, { message: '`from` must not be after `to`', path: ['to'] }),
    answer: z.object({
      from: dateSchema,
      to: dateSchema,
      outlierFactor: z.number().positive(),
      medians: z.record(lossKindSchema, z.object({ ratePer100: z.number().min(0) })),
      rows: z.array(lossRowSchema),
    }),
    exports: ['csv', 'xlsx'],
  }),
  'loss.events': route({
    method: 'GET',
    path: '/api/loss/events',
    group: 'loss',
    summary: 'the individual loss-prevention events, newest first',
    access,
    query: z
      .object({
        ...period,
        kind: lossKindSchema.optional(),
        cashier: z.string().min(1).max(16).optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        before: z.coerce.number().int().positive().optional(),
      })
      .strict()
      .refine((v) => v.from <= v.to, { message: '`from` must not be after `to`', path: ['to'] }),
    answer: z.object({ events: z.array(lossEventSchema), next: nextCursor }),
  }),
};
