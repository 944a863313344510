/**
 * Live figures: today's business by store and for the chain, the hourly
 * curve against the same weekday last week, and the tender mix. "Today" and
 * every hour are in each store's own time zone. The console also receives
 * `live:changed` on the /console socket within seconds of a sale reaching
 * the hub (see console-socket.ts) and then asks again.
 */
import { z } from 'zod';
import { route } from './define';
import { count, dateSchema, fenAmount, isoTimeSchema, signedFen, storeCodeSchema } from './common';

export const TENDER_MIX_KINDS = ['cash', 'card', 'wechat', 'alipay', 'unionpay'] as const;
export const tenderMixKindSchema = z.enum(TENDER_MIX_KINDS);
export type TenderMixKind = z.infer<typeof tenderMixKindSchema>;

export const liveFiguresSchema = z.object({
  /** completed sales (receipts) */
  receipts: count,
  salesFen: fenAmount,
  refunds: count,
  refundsFen: fenAmount,
  /** sales minus refunds */
  netFen: signedFen,
  /** salesFen / receipts, half-up; 0 without receipts */
  averageBasketFen: fenAmount,
});
export type LiveFigures = z.infer<typeof liveFiguresSchema>;

const storeFilter = { in: 'query', field: 'store', mode: 'filter' } as const;
const everyone = ['hq-admin', 'hq-analyst', 'store-manager'] as const;

export const liveRoutes = {
  'live.today': route({
    method: 'GET',
    path: '/api/live/today',
    group: 'live',
    summary: "today's sales, receipts, average basket and refunds per store and for the chain (the user's stores)",
    access: { roles: everyone, store: storeFilter },
    query: z.object({ store: storeCodeSchema.optional() }).strict(),
    answer: z.object({
      asOf: isoTimeSchema,
      chain: liveFiguresSchema,
      stores: z.array(liveFiguresSchema.extend({ store: storeCodeSchema, date: dateSchema, lastSaleAt: isoTimeSchema.nullable() })),
    }),
  }),
  'live.hourly': route({
    method: 'GET',
    path: '/api/live/hourly',
    group: 'live',
    summary: "one day's sales by hour of the store's day against the same weekday a week earlier",
    access: { roles: everyone, store: storeFilter },
    query: z.object({ store: storeCodeSchema.optional(), date: dateSchema.optional() }).strict(),
    answer: z.object({
      date: dateSchema,
      compareDate: dateSchema,
      hours: z.array(
        z.object({
          hour: z.number().int().min(0).max(23),
          receipts: count,
          netFen: signedFen,
          compareReceipts: count,
          compareNetFen: signedFen,
        }),
      ),
    }),
  }),
  'live.tenders': route({
    method: 'GET',
    path: '/api/live/tenders',
    group: 'live',
    summary: "one day's tender mix: cash, card, WeChat, Alipay, UnionPay",
    access: { roles: everyone, store: storeFilter },
    query: z.object({ store: storeCodeSchema.optional(), date: dateSchema.optional() }).strict(),
    answer: z.object({ date: dateSchema, tenders: z.array(z.object({ kind: tenderMixKindSchema, count, fen: signedFen })) }),
  }),
};
