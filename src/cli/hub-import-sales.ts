/**
 * `till hub import-sales FILE --data DIR [--database URL]`: the old system's
 * daily sales per store and category into the hub's sales_history table
 * (src/core/sales-history-csv.ts for the rows), with the import-catalog
 * report: accepted and rejected rows, --dry-run writes nothing, a real run is
 * one transaction and says how many rows were new and how many replaced an
 * earlier import of the same day. Exit 0 when every row was accepted, 1
 * otherwise (the accepted rows are still imported unless --dry-run).
 */
import path from 'node:path';
import { HISTORY_FIELDS, readSalesHistoryCsv } from '../core/sales-history-csv';
import { databaseUrlFrom, openHubStore } from '../hub/runtime';
import { newUlid } from '../ledger/index';
import { formatMinor } from '../shared/money';
import { asUsage, jsonHead, parseImportLine, reportHead } from './csv-import';
import { EXIT, type CliIO } from './io';

export async function importSales(args: string[], io: CliIO): Promise<number> {
  const { file, dryRun, json, map, decoded, values } = parseImportLine(args, HISTORY_FIELDS, { required: ['data'], optional: ['database', 'source'] });
  const report = asUsage(() => readSalesHistoryCsv(decoded.text, { map }));
  let written: { inserted: number; replaced: number; batch: string } | null = null;
  if (!dryRun && report.accepted.length) {
    const store = await openHubStore(values.data as string, databaseUrlFrom(values.database));
    try {
      const batch = newUlid();
      const importedAt = new Date().toISOString();
      const source = values.source ?? path.basename(file);
      written = { ...(await store.importSalesHistory(report.accepted.map((r) => ({ ...r, source, batch, importedAt })))), batch };
    } finally {
      await store.close();
    }
  }
  const days = new Set(report.accepted.map((r) => r.businessDay));
  const stores = new Set(report.accepted.map((r) => r.store));
  const total = report.accepted.reduce((n, r) => n + r.netSales, 0);
  if (json) {
    io.out(JSON.stringify({ ...jsonHead(file, decoded, report.rows, report.columns), accepted: report.accepted.length, rejected: report.rejected, stores: stores.size, days: days.size, netSales: total, dryRun, written }) + '\n');
  } else {
    reportHead(io, file, decoded, report.rows, report.columns);
    io.out(`accepted ${report.accepted.length} (${stores.size} store(s), ${days.size} day(s), ¥${formatMinor(total)} net), rejected ${report.rejected.length}\n`);
    for (const r of report.rejected) io.out(`  row ${r.row}: ${r.reason}\n`);
    if (dryRun) io.out('dry run: nothing was written\n');
    else if (written) io.out(`imported into the hub's sales history in one transaction: ${written.inserted} new, ${written.replaced} replaced an earlier import (batch ${written.batch})\n`);
    else io.out('nothing to import\n');
  }
  return report.rejected.length ? EXIT.failed : EXIT.ok;
}
