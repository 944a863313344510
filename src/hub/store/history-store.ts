/**
 * The sales history of migration day (the old system's daily totals per
 * store and category, migrations/hub/<dialect>/0040_sales_history.sql),
 * written once over the Sql interface for SQLite and PostgreSQL. Rows are
 * put inside the store's transaction, each (store, day, category) replacing
 * an earlier import of it; PostgreSQL keeps the day as a DATE and answers it
 * as YYYY-MM-DD.
 */
import type { Sql } from './sql';
import type { SalesHistoryRow } from './types';

interface HistoryDbRow {
  store: string;
  business_day: string;
  category: string;
  net_sales: number | string;
  sales_count: number | null;
  quantity: number | string | null;
  source: string;
  batch: string;
  imported_at: string;
}

function historyFromRow(r: HistoryDbRow): SalesHistoryRow {
  return {
    store: r.store,
    businessDay: r.business_day,
    category: r.category,
    netSales: Number(r.net_sales),
    salesCount: r.sales_count === null ? null : Number(r.sales_count),
    quantity: r.quantity === null ? null : Number(r.quantity),
    source: r.source,
    batch: r.batch,
    importedAt: r.imported_at,
  };
}

/** inside a transaction: the rows put, and how many replaced an earlier import */
export async function putSalesHistory(sql: Sql, rows: readonly SalesHistoryRow[]): Promise<{ inserted: number; replaced: number }> {
  let replaced = 0;
  for (const r of rows) {
    if (await sql.get('SELECT 1 AS hit FROM sales_history WHERE store = ? AND business_day = ? AND category = ?', [r.store, r.businessDay, r.category])) replaced += 1;
    await sql.run(
      `INSERT INTO sales_history (store, business_day, category, net_sales, sales_count, quantity, source, batch, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (store, business_day, category) DO UPDATE SET net_sales = excluded.net_sales, sales_count = excluded.sales_count, quantity = excluded.quantity,
         source = excluded.source, batch = excluded.batch, imported_at = excluded.imported_at`,
      [r.store, r.businessDay, r.category, r.netSales, r.salesCount, r.quantity, r.source, r.batch, r.importedAt],
    );
  }
  return { inserted: rows.length - replaced, replaced };
}

/** the history rows, by day, store and category; days from and to inclusive */
export async function readSalesHistory(sql: Sql, q: { store?: string; from?: string; to?: string } = {}): Promise<SalesHistoryRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.store !== undefined) {
    where.push('store = ?');
    params.push(q.store);
  }
  if (q.from !== undefined) {
    where.push('business_day >= ?');
    params.push(q.from);
  }
  if (q.to !== undefined) {
    where.push('business_day <= ?');
    params.push(q.to);
  }
  const day = sql.dialect === 'postgres' ? "to_char(business_day, 'YYYY-MM-DD') AS business_day" : 'business_day';
  const rows = await sql.all<HistoryDbRow>(
    `SELECT store, ${day}, category, net_sales, sales_count, quantity, source, batch, imported_at FROM sales_history${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY 2, store, category`,
    params,
  );
  return rows.map(historyFromRow);
}
