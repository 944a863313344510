/**
 * The parallel run of migration day: one business day's totals from the old
 * system's export against Till's X/Z figures for the same day, naming every
 * difference. The export is a CSV of daily totals (Chinese or English
 * headers): rows with a category (类别) are category totals, rows with a
 * tender (支付方式) are tender totals, a row with neither, or with a
 * category of 合计/总计/total, is the day's total; an amount column (金额) is
 * required, a count (笔数) and a date (日期: rows of other days are left out)
 * are optional. Tender names are matched to Till's (现金 cash, 银行卡 card,
 * 微信 wechat, 支付宝 alipay, 云闪付 unionpay). Amounts are compared in fen,
 * exactly; the day's total is Till's net (sales less refunds), a category's
 * is the net of its lines. Pure.
 */
import type { Report } from '../shared/contract/report';
import { csvTable, matchColumns, parsePrice } from './catalog-csv';
import { parseDay } from './sales-history-csv';

export const TOTALS_FIELDS = ['date', 'category', 'tender', 'amount', 'count'] as const;
export type TotalsField = (typeof TOTALS_FIELDS)[number];

const HEADERS: Record<TotalsField, string[]> = {
  date: ['日期', '营业日', '销售日期', '业务日期', 'date', 'day', 'businessday'],
  category: ['类别', '分类', '品类', '商品类别', '项目', 'category', 'department', 'item'],
  tender: ['支付方式', '付款方式', '收款方式', '结算方式', 'tender', 'payment', 'paymentmethod', 'paytype'],
  amount: ['金额', '销售额', '销售金额', '净额', '实收金额', '净销售额', 'amount', 'sales', 'net', 'netsales'],
  count: ['笔数', '交易笔数', '单数', 'count', 'transactions', 'tickets'],
};

const TOTAL_WORDS = new Set(['合计', '总计', '总额', '全部', 'total', 'all', 'sum']);

const TENDERS: Array<[RegExp, string]> = [
  [/^(现金|人民币|cash)$/i, 'cash'],
  [/^(银行卡|刷卡|银联卡|储蓄卡|信用卡|card|bankcard|pos)$/i, 'card'],
  [/^(微信|微信支付|wechat|wechatpay|wx)$/i, 'wechat'],
  [/^(支付宝|alipay|zfb)$/i, 'alipay'],
  [/^(云闪付|银联二维码|unionpay|unionpayqr)$/i, 'unionpay'],
];

/** the old system's tender name as Till names it (cash, card, wechat, alipay, unionpay), or the name itself */
export function tenderKey(name: string): string {
  const n = name.trim().replace(/\s+/g, '');
  return TENDERS.find(([re]) => re.test(n))?.[1] ?? name.trim();
}

export interface DayTotals {
  /** net sales in fen, null when the export has no total and nothing to add up */
  total: number | null;
  /** number of sales, null when unknown */
  count: number | null;
  categories: Map<string, number>;
  tenders: Map<string, number>;
}

/** why a row of the export was not used: the field, and what it held ('' when empty) */
export interface TotalsRejection {
  row: number;
  field: 'date' | 'amount' | 'count';
  value: string;
}

export interface ExportReading {
  columns: Partial<Record<TotalsField, string>>;
  totals: DayTotals;
  /** rows of the asked day that were read */
  used: number;
  rejected: TotalsRejection[];
}

export function readDailyTotalsCsv(text: string, day: string, opts: { map?: Partial<Record<TotalsField, string>> } = {}): ExportReading {
  const { header, rows } = csvTable(text);
  const { columns, index } = matchColumns(header, TOTALS_FIELDS, HEADERS, opts.map);
  if (index.amount === undefined) throw new RangeError(`the header must name an amount column (found: ${header.join(', ') || 'nothing'}); use --map field=header`);
  const categories = new Map<string, number>();
  const tenders = new Map<string, number>();
  let total: number | null = null;
  let count: number | null = null;
  let used = 0;
  const rejected: ExportReading['rejected'] = [];
  rows.forEach((cells, i) => {
    const rowNo = i + 2;
    const get = (f: TotalsField) => (index[f] === undefined ? '' : (cells[index[f] as number] ?? '').trim());
    const reject = (field: TotalsRejection['field']) => void rejected.push({ row: rowNo, field, value: get(field) });
    if (index.date !== undefined) {
      const d = parseDay(get('date'));
      if (!d) return reject('date');
      if (d !== day) return;
    }
    const amount = parsePrice(get('amount'));
    if (amount === null) return reject('amount');
    const countText = get('count').replace(/,/g, '');
    if (countText && !/^\d{1,9}$/.test(countText)) return reject('count');
    const tender = get('tender');
    const category = get('category');
    used += 1;
    if (tender) {
      const k = tenderKey(tender);
      tenders.set(k, (tenders.get(k) ?? 0) + amount);
    } else if (category && !TOTAL_WORDS.has(category.toLowerCase())) {
      categories.set(category, (categories.get(category) ?? 0) + amount);
    } else {
      total = (total ?? 0) + amount;
      if (countText) count = (count ?? 0) + Number(countText);
    }
  });
  if (total === null && categories.size) total = [...categories.values()].reduce((a, b) => a + b, 0);
  if (total === null && tenders.size) total = [...tenders.values()].reduce((a, b) => a + b, 0);
  return { columns, totals: { total, count, categories, tenders }, used, rejected };
}

/** Till's totals for the day, added up over the reports of the store's terminals */
export function totalsOfReports(reports: readonly Report[]): DayTotals {
  const categories = new Map<string, number>();
  const tenders = new Map<string, number>();
  let total = 0;
  let count = 0;
  for (const r of reports) {
    total += r.net;
    count += r.counts.sales;
    for (const c of r.byCategory) categories.set(c.category, (categories.get(c.category) ?? 0) + c.net);
    for (const t of r.byTender) {
      const k = t.kind === 'payment-code' ? (t.provider ?? 'payment-code') : t.kind;
      tenders.set(k, (tenders.get(k) ?? 0) + t.net);
    }
  }
  return { total, count, categories, tenders };
}

export type Topic = 'total' | 'count' | 'category' | 'tender';

export interface Line {
  topic: Topic;
  /** the category or tender, '' for the total and the count */
  name: string;
  old: number | null;
  till: number | null;
  /** till - old, when both are known */
  diff: number | null;
}

export interface Comparison {
  same: Line[];
  differences: Line[];
}

/** every figure of the export next to Till's; a figure only one side has is a difference when its amount is not zero */
export function compareDay(old: DayTotals, till: DayTotals): Comparison {
  const same: Line[] = [];
  const differences: Line[] = [];
  const put = (topic: Topic, name: string, o: number | null, t: number | null) => {
    if (o === null && t === null) return;
    const line: Line = { topic, name, old: o, till: t, diff: o !== null && t !== null ? t - o : null };
    if (o === t || (o === null && t === 0) || (t === null && o === 0)) same.push(line);
    else differences.push(line);
  };
  put('total', '', old.total, till.total);
  if (old.count !== null) put('count', '', old.count, till.count);
  for (const topic of ['category', 'tender'] as const) {
    const a = topic === 'category' ? old.categories : old.tenders;
    const b = topic === 'category' ? till.categories : till.tenders;
    // a side that lists none of these does not say anything about them
    if (a.size === 0) continue;
    for (const name of [...new Set([...a.keys(), ...b.keys()])].sort()) put(topic, name, a.get(name) ?? null, b.get(name) ?? null);
  }
  return { same, differences };
}
