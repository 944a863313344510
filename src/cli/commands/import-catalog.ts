/**
 * till import-catalog FILE --data DIR [--encoding utf8|gbk] [--dry-run] [--json] [--map field=header,...]
 * The migration path from an old till: reads its CSV export, prints a
 * validation report (rows accepted, rows rejected with row number and reason)
 * and, unless --dry-run, imports the accepted rows in one transaction
 * (journaled as CatalogImported). Exit 0 when every row was accepted, 1 when
 * some were rejected (the accepted ones are still imported unless --dry-run).
 */
import { CSV_FIELDS, readCatalogCsv } from '../../core/catalog-csv';
import { openLedger } from '../../ledger/index';
import { importCatalog } from '../../terminal/index';
import { asUsage, jsonHead, parseImportLine, reportHead } from '../csv-import';
import { EXIT, type Command } from '../io';

const command: Command = {
  summary: "import products from an old system's CSV export (UTF-8 or GBK), with a validation report",
  usage: 'till import-catalog FILE --data DIR [--encoding utf8|gbk] [--dry-run] [--json] [--map field=header,...]',
  async run(args, io) {
    const { file, dryRun, json, map, decoded, values } = parseImportLine(args, CSV_FIELDS, { required: ['data'] });
    const ledger = openLedger(values.data as string);
    try {
      const codeOwner = ledger.db.prepare('SELECT sku FROM barcodes WHERE barcode = ?').pluck();
      const report = asUsage(() => readCatalogCsv(decoded.text, { map, existingSkuOf: (g) => (codeOwner.get(g) as string | undefined) ?? null }));
      const written = !dryRun && report.products.length ? importCatalog(ledger, report.products) : null;
      if (json) {
        io.out(
          JSON.stringify({
            ...jsonHead(file, decoded, report.rows, report.columns),
            accepted: report.products.length,
            rejected: report.rejected,
            dryRun,
            written: written ? { version: written.version, products: written.products, entries: written.entries } : null,
          }) + '\n',
        );
      } else {
        reportHead(io, file, decoded, report.rows, report.columns);
        io.out(`accepted ${report.products.length}, rejected ${report.rejected.length}\n`);
        for (const r of report.rejected) io.out(`  row ${r.row}: ${r.reason}\n`);
        if (dryRun) io.out('dry run: nothing was written\n');
        else if (written) io.out(`imported ${written.products} products as catalog version ${written.version} (one transaction, ${written.entries} journal entries)\n`);
        else io.out('nothing to import\n');
      }
      return report.rejected.length ? EXIT.failed : EXIT.ok;
    } finally {
      ledger.close();
    }
  },
};
export default command;
