/**
 * Reading the old system's sales history for the hub (migration day): daily
 * totals per store and category, so the head office's reports go on across
 * the switch. Chinese or English headers (门店/store, 日期/营业日/date,
 * 类别/category, 销售额/金额/amount, 笔数/count, 数量/qty) or a map; dates as
 * 2026-03-01, 2026/3/1, 2026.03.01 or 20260301; amounts in yuan (net of
 * returns, so they may be negative). Every row is accepted or rejected with
 * its row number (the header is row 1) and a reason: a bad store code or
 * date, a missing category, an amount that is not an amount, a count that
 * is not a whole number, a (store, day, category) twice in the file. Pure.
 */
import { csvTable, matchColumns, parsePrice } from './catalog-csv';

export const HISTORY_FIELDS = ['store', 'date', 'category', 'amount', 'count', 'qty'] as const;
export type HistoryField = (typeof HISTORY_FIELDS)[number];

const HEADERS: Record<HistoryField, string[]> = {
  store: ['门店', '门店编码', '门店编号', '店号', '门店代码', 'store', 'storecode', 'shop', 'storeid'],
  date: ['日期', '营业日', '销售日期', '业务日期', '营业日期', 'date', 'day', 'businessday', 'salesdate'],
  category: ['类别', '分类', '品类', '商品类别', '类别名称', 'category', 'department', 'dept'],
  amount: ['销售额', '销售金额', '金额', '净销售额', '实收金额', '净额', 'amount', 'sales', 'netsales', 'net'],
  count: ['笔数', '交易笔数', '单数', '客流', '来客数', 'count', 'transactions', 'tickets', 'receipts'],
  qty: ['数量', '销量', '销售数量', '件数', 'quantity', 'qty', 'units'],
};

/** one day's total for one store and category, as the hub keeps it */
export interface HistoryRow {
  store: string;
  /** YYYY-MM-DD, the store's business day */
  businessDay: string;
  category: string;
  /** net sales in fen (negative when returns exceeded sales) */
  netSales: number;
  salesCount: number | null;
  quantity: number | null;
}

export interface HistoryReport {
  columns: Partial<Record<HistoryField, string>>;
  rows: number;
  accepted: HistoryRow[];
  rejected: Array<{ row: number; reason: string }>;
}

/** a calendar date in one of the usual export forms, as YYYY-MM-DD, or null */
export function parseDay(text: string): string | null {
  const t = text.trim().replace(/\s.*$/, '');
  const m = /^(\d{4})[-/.年]?(\d{1,2})[-/.月]?(\d{1,2})日?$/.exec(t);
  if (!m || (!/[-/.年]/.test(t) && t.length !== 8)) return null;
  const day = `${m[1]}-${(m[2] as string).padStart(2, '0')}-${(m[3] as string).padStart(2, '0')}`;
  const ms = Date.parse(`${day}T00:00:00.000Z`);
  return Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== day ? null : day;
}

export function readSalesHistoryCsv(text: string, opts: { map?: Partial<Record<HistoryField, string>> } = {}): HistoryReport {
  const { header, rows } = csvTable(text);
  const { columns, index } = matchColumns(header, HISTORY_FIELDS, HEADERS, opts.map);
  if (index.store === undefined || index.date === undefined || index.amount === undefined) {
    throw new RangeError(`the header must name at least a store, a date and an amount column (found: ${header.join(', ') || 'nothing'}); use --map field=header`);
  }
  const accepted: HistoryRow[] = [];
  const rejected: HistoryReport['rejected'] = [];
  const seen = new Map<string, number>();
  rows.forEach((cells, i) => {
    const rowNo = i + 2;
    const get = (f: HistoryField) => (index[f] === undefined ? '' : (cells[index[f] as number] ?? '').trim());
    const reject = (reason: string) => void rejected.push({ row: rowNo, reason });
    const store = get('store');
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(store)) return reject(store ? `store code '${store}' may hold only letters, digits, - and _ (at most 32)` : 'missing store');
    const day = parseDay(get('date'));
    if (!day) return reject(get('date') ? `date '${get('date')}' is not a calendar date` : 'missing date');
    const category = index.category === undefined ? '全部' : get('category');
    if (!category) return reject('missing category');
    if (category.length > 40) return reject('category longer than 40 characters');
    const amountText = get('amount');
    const netSales = amountText ? parsePrice(amountText) : null;
    if (netSales === null) return reject(amountText ? `amount '${amountText}' is not an amount` : 'missing amount');
    const countText = get('count').replace(/,/g, '');
    if (countText && !/^\d{1,9}$/.test(countText)) return reject(`count '${get('count')}' must be a whole number of at least 0`);
    const qtyText = get('qty').replace(/,/g, '');
    if (qtyText && !/^-?\d{1,9}(\.\d{1,3})?$/.test(qtyText)) return reject(`quantity '${get('qty')}' is not a number`);
    const key = `${store}\u0000${day}\u0000${category}`;
    const dup = seen.get(key);
    if (dup !== undefined) return reject(`store ${store}, ${day}, ${category} already on row ${dup}`);
    seen.set(key, rowNo);
    accepted.push({ store, businessDay: day, category, netSales, salesCount: countText ? Number(countText) : null, quantity: qtyText ? Number(qtyText) : null });
  });
  return { columns, rows: rows.length, accepted, rejected };
}
