/**
 * till import-catalog FILE --data DIR [--encoding utf8|gbk] [--dry-run] [--json] [--map field=header,...]
 * The migration path from an old till: reads its CSV export, prints a
 * validation report (rows accepted, rows rejected with row number and reason)
 * and, unless --dry-run, imports the accepted rows in one transaction
 * (journaled as CatalogImported). Exit 0 when every row was accepted, 1 when
 * some were rejected (the accepted ones are still imported unless --dry-run).
 */
import { parseArgs } from 'node:util';
import { CSV_FIELDS, parseColumnMap, readCatalogCsv, type CsvField } from '../../core/catalog-csv';
import { openLedger } from '../../ledger/index';
import { decodeCatalogFile, importCatalog, readCatalogFile, type FileEncoding } from '../../terminal/index';
import { EXIT, UsageError, type Command } from '../io';

function parseMap(values: string[]): Partial<Record<CsvField, string>> {
  try {
    return parseColumnMap(values, CSV_FIELDS);
  } catch (e) {
    if (e instanceof RangeError) throw new UsageError(e.message);
    throw e;
  }
}

const command: Command = {
  summary: "import products from an old system's CSV export (UTF-8 or GBK), with a validation report",
  usage: 'till import-catalog FILE --data DIR [--encoding utf8|gbk] [--dry-run] [--json] [--map field=header,...]',
  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        encoding: { type: 'string' },
        'dry-run': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        map: { type: 'string', multiple: true, default: [] },
      },
    });
    const file = positionals[0];
    if (!file || positionals.length > 1) throw new UsageError('name exactly one CSV file');
    if (!values.data) throw new UsageError('--data is required');
    if (values.encoding !== undefined && values.encoding !== 'utf8' && values.encoding !== 'gbk') throw new UsageError(`--encoding must be utf8 or gbk (got '${values.encoding}')`);
    const map = parseMap(values.map);
    const decoded = decodeCatalogFile(readCatalogFile(file), values.encoding as FileEncoding | undefined);
    const dryRun = values['dry-run'];
    const ledger = openLedger(values.data);
    try {
      const codeOwner = ledger.db.prepare('SELECT sku FROM barcodes WHERE barcode = ?').pluck();
      let report;
      try {
        report = readCatalogCsv(decoded.text, { map, existingSkuOf: (g) => (codeOwner.get(g) as string | undefined) ?? null });
      } catch (e) {
        if (e instanceof RangeError) throw new UsageError(e.message);
        throw e;
      }
      const written = !dryRun && report.products.length ? importCatalog(ledger, report.products) : null;
      if (values.json) {
        io.out(
          JSON.stringify({
            file,
            encoding: decoded.encoding,
            encodingDetected: decoded.detected,
            columns: report.columns,
            rows: report.rows,
            accepted: report.products.length,
            rejected: report.rejected,
            dryRun,
            written: written ? { version: written.version, products: written.products, entries: written.entries } : null,
          }) + '\n',
        );
      } else {
        io.out(`read ${file} (${decoded.encoding === 'gbk' ? 'GBK' : 'UTF-8'}${decoded.detected ? ', detected' : ''}): ${report.rows} rows\n`);
        io.out(`columns: ${Object.entries(report.columns).map(([f, h]) => `${h} -> ${f}`).join(', ')}\n`);
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
